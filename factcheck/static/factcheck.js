/* Reader enhancements. Every page works without this script: the claims index lists every
   fact-check and links to the rating, tag and entity pages; this only adds instant filtering. */
(function () {
  "use strict";

  /* Material's search dialog has role="dialog" but no accessible name (axe: aria-dialog-name).
     Name it after its own input's label, without touching the search partials. */
  function nameSearchDialog() {
    var dialog = document.querySelector('.md-search[role="dialog"]');
    if (dialog && !dialog.hasAttribute("aria-label") && !dialog.hasAttribute("aria-labelledby")) {
      var input = dialog.querySelector("input[aria-label]");
      dialog.setAttribute("aria-label", input ? input.getAttribute("aria-label") : "Search");
    }
  }

  var FIELDS = ["verdict", "entity", "tag"];
  var SORTS = {
    newest: function (a, b) { return cmp(b.dataset.published, a.dataset.published) || a.index - b.index; },
    oldest: function (a, b) { return cmp(a.dataset.published, b.dataset.published) || b.index - a.index; },
    "claim-newest": function (a, b) { return cmp(b.dataset.date, a.dataset.date) || a.index - b.index; },
    "claim-oldest": function (a, b) { return cmp(a.dataset.date, b.dataset.date) || a.index - b.index; }
  };

  function cmp(x, y) { return x < y ? -1 : x > y ? 1 : 0; }

  function words(value) { return (value || "").split(/\s+/).filter(Boolean); }

  function setUpFilters(root) {
    var form = root.querySelector(".fc-filter");
    var list = root.querySelector(".fc-claim-list");
    if (!form || !list) return;
    var items = Array.prototype.slice.call(list.querySelectorAll(".fc-claim-item"));
    items.forEach(function (item, i) { item.index = i; });
    var status = form.querySelector(".fc-filter__status");
    var empty = root.querySelector(".fc-filter__empty");

    function control(name) { return form.elements.namedItem(name); }

    function state() {
      var s = {};
      FIELDS.concat(["sort"]).forEach(function (name) { s[name] = control(name).value; });
      return s;
    }

    function apply(push) {
      var s = state();
      var shown = 0;
      items.forEach(function (item) {
        var ok = (!s.verdict || item.dataset.verdict === s.verdict) &&
          (!s.entity || words(item.dataset.entities).indexOf(s.entity) >= 0) &&
          (!s.tag || words(item.dataset.tags).indexOf(s.tag) >= 0);
        item.hidden = !ok;
        if (ok) shown += 1;
      });
      items.slice().sort(SORTS[s.sort] || SORTS.newest).forEach(function (item) { list.appendChild(item); });
      status.textContent = shown === items.length
        ? "Showing all " + items.length + " fact-checks."
        : "Showing " + shown + " of " + items.length + " fact-checks.";
      if (empty) empty.hidden = shown !== 0;
      if (push) {
        var params = new URLSearchParams();
        FIELDS.forEach(function (name) { if (s[name]) params.set(name, s[name]); });
        if (s.sort && s.sort !== "newest") params.set("sort", s.sort);
        var query = params.toString();
        history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
      }
    }

    /* Read the filter from the address, ignoring values that are not offered. */
    var params = new URLSearchParams(location.search);
    FIELDS.concat(["sort"]).forEach(function (name) {
      var select = control(name);
      var wanted = params.get(name);
      if (wanted !== null && Array.prototype.some.call(select.options, function (o) { return o.value === wanted; })) {
        select.value = wanted;
      }
    });

    form.addEventListener("change", function () { apply(true); });
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(true); });
    form.addEventListener("reset", function () { setTimeout(function () { apply(true); }, 0); });
    form.hidden = false;
    var links = root.querySelector(".fc-filter-links");
    if (links) links.hidden = true;
    apply(false);
  }

  function init() {
    nameSearchDialog();
    var root = document.querySelector(".fc-claims-index");
    if (root) setUpFilters(root);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
