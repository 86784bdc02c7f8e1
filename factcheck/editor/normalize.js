// factcheck: what the editor saves, in the format's shape (loaded after decap-cms.js on /admin/).
// Before each save, every object's keys are put in the schema's order (Decap keeps the order
// in which fields were first touched), and empty values are left out: an untouched optional
// date or text is written as "" by the form, which the format does not allow.
(function () {
  "use strict";
  var ORDER = JSON.parse(document.getElementById("factcheck-field-order").textContent);

  function isEmpty(value) {
    return value === "" || value === null || value === undefined || (value && typeof value.size === "number" && value.size === 0);
  }

  function normalize(value, spec) {
    if (!value || typeof value !== "object" || typeof value.toOrderedMap !== "function") {
      return typeof value === "string" && spec === null ? value : value;
    }
    if (typeof value.push === "function") { // a list
      return value.map(function (item) { return normalize(item, spec); }).filter(function (item) { return !isEmpty(item); });
    }
    if (!spec) { return value; }
    var out = value.toOrderedMap().clear();
    Object.keys(spec).forEach(function (key) {
      if (value.has(key)) {
        var inner = normalize(value.get(key), spec[key]);
        if (!isEmpty(inner)) { out = out.set(key, inner); }
      }
    });
    value.keySeq().forEach(function (key) { // a key the form does not know: kept, for `check` to report
      if (!Object.prototype.hasOwnProperty.call(spec, key)) { out = out.set(key, value.get(key)); }
    });
    return out;
  }

  window.CMS.registerEventListener({
    name: "preSave",
    handler: function (event) {
      var entry = event.entry;
      var spec = ORDER[entry.get("collection")];
      return spec ? normalize(entry.get("data"), spec) : entry.get("data");
    },
  });
})();
