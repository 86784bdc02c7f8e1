/* Reader enhancements. Every page works without this script: the claims index is paginated and
   links to the rating, tag and entity pages, which are the filters without JavaScript. This adds
   filtering and sorting across every fact-check, from the small JSON files factcheck/publish/filters.py
   writes (a filter fetches only the lists and the rows it shows). Claim text comes from
   strangers: it is put into the page as text (textContent, text nodes), never as HTML. */
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
  var SAFE_LINK = /^(\.\.\/)*[a-z0-9]+(-[a-z0-9]+)*(\/|\.html)$/;  /* a claim page beside the index */

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  /* The lists are differences from the number before (filters.py): add them up again. */
  function undelta(list) {
    var out = new Array(list.length);
    for (var i = 0, n = 0; i < list.length; i++) { n += list[i]; out[i] = n; }
    return out;
  }

  function setUpFilters(root) {
    var form = root.querySelector(".fc-filter");
    var all = root.querySelector(".fc-filter__pages-of-all");
    var results = root.querySelector(".fc-filter__results");
    var pagesNav = root.querySelector(".fc-filter__pages");
    if (!form || !all || !results || !pagesNav) return;
    var base = new URL(form.dataset.filters, location.href);
    var size = parseInt(form.dataset.size, 10) || 50;
    var total = parseInt(form.dataset.total, 10) || 0;
    var status = form.querySelector(".fc-filter__status");
    /* The page's own words, translated by the template (data-msg-*): {name} marks a value. */
    var lang = document.documentElement.lang || undefined;
    var numbers = new Intl.NumberFormat(lang, { numberingSystem: "latn" });
    function say(name, values) {
      var text = form.getAttribute("data-msg-" + name) || "";
      return text.replace(/\{(\w+)\}/g, function (all, key) {
        return values && key in values ? numbers.format(values[key]) : all;
      });
    }
    var empty = root.querySelector(".fc-filter__empty");
    var links = root.querySelector(".fc-filter-links");
    var badges = {};
    var template = root.querySelector(".fc-filter__badges");
    if (template) {
      Array.prototype.forEach.call(template.content.querySelectorAll("[data-verdict]"), function (holder) {
        badges[holder.dataset.verdict] = holder.firstElementChild;
      });
    }
    var cache = {};
    var page = 1;
    var latest = 0;

    function fetched(path, decode) {
      if (!cache[path]) {
        cache[path] = fetch(new URL(path, base).href).then(function (response) {
          if (!response.ok) throw new Error(response.status + " " + path);
          return response.json();
        }).then(decode || function (data) { return data; });
        cache[path].catch(function () { delete cache[path]; });
      }
      return cache[path];
    }

    function matchList(path) {
      return fetched(path + ".json", function (data) {
        var newest = undelta(data.newest);
        var list = { count: data.count, newest: newest, claim: undelta(data.claim), set: new Set(newest) };
        if (data.rows) {  /* a value with one page of matches: its rows are here, newest first */
          list.rows = data.rows;
          list.at = {};
          newest.forEach(function (n, i) { list.at[n] = i; });
        }
        return list;
      });
    }

    function control(name) { return form.elements.namedItem(name); }

    function state() {
      var s = {};
      FIELDS.concat(["sort"]).forEach(function (name) { s[name] = control(name).value; });
      s.sort = s.sort || "newest";
      return s;
    }

    function query(s, number) {
      var params = new URLSearchParams();
      FIELDS.forEach(function (name) { if (s[name]) params.set(name, s[name]); });
      if (s.sort && s.sort !== "newest") params.set("sort", s.sort);
      if (number > 1) params.set("page", String(number));
      var text = params.toString();
      return text ? "?" + text : "";
    }

    function row(data) {
      var li = element("li", "fc-claim-item");
      li.dataset.verdict = data[2];
      var badge = badges[data[2]];
      if (badge) li.append(badge.cloneNode(true), " ");
      var link = element("a", "fc-claim-item__link", data[1]);
      link.setAttribute("href", SAFE_LINK.test(data[0]) ? data[0] : "#");
      var meta = element("span", "fc-claim-item__meta", data[3] + " · ");
      var time = element("time", "", data[5]);
      time.setAttribute("datetime", data[4]);
      meta.append(time);
      if (data[6]) meta.append(" · ", element("strong", "", say("draft")));
      li.append(link, meta);
      return li;
    }

    function arrow(text) {
      var span = element("span", "", text);
      span.setAttribute("aria-hidden", "true");
      return span;
    }

    function pageLinks(s, number, count) {
      var list = element("ul", "fc-pages__list");
      function item(n, label, rel) {
        var li = element("li");
        var a = element("a", rel ? "fc-pages__step" : "fc-pages__number");
        if (rel === "prev") a.append(arrow("← "));
        a.append(label);
        if (rel === "next") a.append(arrow(" →"));
        a.setAttribute("href", query(s, n) || "?");
        a.dataset.page = String(n);
        if (rel) a.setAttribute("rel", rel);
        if (!rel && n === number) a.setAttribute("aria-current", "page");
        if (!rel) a.setAttribute("aria-label", say("page-link", { number: n }));
        li.append(a);
        list.append(li);
      }
      if (number > 1) item(number - 1, say("previous"), "prev");
      var last = 0;
      for (var n = 1; n <= count; n++) {
        if (n === 1 || n === count || Math.abs(n - number) <= 2) {
          if (last && n - last > 1) {
            var gap = element("li", "fc-pages__gap", "…");
            gap.setAttribute("aria-hidden", "true");
            list.append(gap);
          }
          item(n, numbers.format(n));
          last = n;
        }
      }
      if (number < count) item(number + 1, say("next"), "next");
      pagesNav.replaceChildren(element("p", "fc-pages__status", say("page", { number: number, count: count })), list);
      pagesNav.hidden = count < 2;
    }

    function showAll() {
      all.hidden = false;
      results.hidden = true;
      pagesNav.hidden = true;
      if (empty) empty.hidden = true;
      status.textContent = say("all");
    }

    /* Every value the filter names: its list of matches; the smallest decides which rows to read. */
    function showMatches(s, mine) {
      var values = FIELDS.filter(function (name) { return s[name]; }).map(function (name) {
        return name + "/" + s[name];
      });
      if (!values.length) values = ["all/all"];
      var order = s.sort.indexOf("claim-") === 0 ? "claim" : "newest";
      var reverse = s.sort === "oldest" || s.sort === "claim-oldest";
      return Promise.all(values.map(matchList)).then(function (lists) {
        var smallest = 0;
        lists.forEach(function (list, i) { if (list.count < lists[smallest].count) smallest = i; });
        var sequence = lists[smallest][order];
        var others = lists.filter(function (_, i) { return i !== smallest; });
        var positions = [];
        for (var i = 0; i < sequence.length; i++) {
          if (others.every(function (list) { return list.set.has(sequence[i]); })) positions.push(i);
        }
        if (reverse) positions.reverse();
        var count = Math.max(1, Math.ceil(positions.length / size));
        var number = Math.min(Math.max(page, 1), count);
        var shown = positions.slice((number - 1) * size, number * size);
        var chosen = lists[smallest];
        var rowsShown;
        if (chosen.rows) {
          rowsShown = Promise.resolve(shown.map(function (p) { return chosen.rows[chosen.at[sequence[p]]]; }));
        } else {
          var chunks = [];
          shown.forEach(function (p) {
            var k = Math.floor(p / size);
            if (chunks.indexOf(k) < 0) chunks.push(k);
          });
          rowsShown = Promise.all(chunks.map(function (k) {
            return fetched(values[smallest] + "/" + order + "-" + k + ".json");
          })).then(function (rows) {
            var byChunk = {};
            chunks.forEach(function (k, j) { byChunk[k] = rows[j]; });
            return shown.map(function (p) { return byChunk[Math.floor(p / size)][p % size]; });
          });
        }
        return rowsShown.then(function (rows) {
          if (mine !== latest) return;
          results.replaceChildren.apply(results, rows.map(row));
          all.hidden = true;
          results.hidden = positions.length === 0;
          if (empty) empty.hidden = positions.length !== 0;
          page = number;
          pageLinks(s, number, count);
          var text = positions.length === total ? say("all") : say("some", { shown: positions.length });
          status.textContent = text + (count > 1 ? " " + say("page", { number: number, count: count }) + "." : "");
        });
      });
    }

    function apply(push) {
      var s = state();
      var mine = ++latest;
      var done;
      if (!FIELDS.some(function (name) { return s[name]; }) && s.sort === "newest" && page <= 1) {
        page = 1;
        showAll();
        done = Promise.resolve();
      } else {
        form.setAttribute("aria-busy", "true");
        done = showMatches(s, mine).catch(function () {
          if (mine !== latest) return;
          status.textContent = say("failed");
          if (links) links.classList.add("fc-filter-links--shown");
        });
      }
      return done.then(function () {
        if (mine !== latest) return;
        form.removeAttribute("aria-busy");
        if (push) history.replaceState(null, "", location.pathname + query(s, page) + location.hash);
      });
    }

    /* The options are the links' (the filters without JavaScript), made once from them. */
    if (links) {
      Array.prototype.forEach.call(links.querySelectorAll("[data-filter]"), function (group) {
        var select = control(group.dataset.filter);
        if (!select) return;
        Array.prototype.forEach.call(group.querySelectorAll("a[data-value]"), function (link) {
          var option = element("option", "", link.textContent);
          option.value = link.dataset.value;
          select.append(option);
        });
      });
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
    page = Math.max(1, parseInt(params.get("page") || "1", 10) || 1);

    form.addEventListener("change", function () { page = 1; apply(true); });
    form.addEventListener("submit", function (event) { event.preventDefault(); page = 1; apply(true); });
    form.addEventListener("reset", function () { setTimeout(function () { page = 1; apply(true); }, 0); });
    pagesNav.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-page]");
      if (!link) return;
      event.preventDefault();
      page = parseInt(link.dataset.page, 10) || 1;
      apply(true).then(function () { form.scrollIntoView({ block: "start" }); });
    });
    apply(false);
  }

  /* Copy buttons beside a share link or embed code (hidden without this script, where the field's
     text is there to select). The message after copying comes from the page (data-fc-copied). */
  function setUpCopyButtons() {
    if (!navigator.clipboard || !navigator.clipboard.writeText) return;
    Array.prototype.forEach.call(document.querySelectorAll("button[data-fc-copy]"), function (button) {
      var field = document.getElementById(button.getAttribute("data-fc-copy"));
      var status = button.parentNode.querySelector(".fc-copy__status");
      if (!field) return;
      button.hidden = false;
      var isField = "value" in field && typeof field.select === "function";  /* an <input>, else a <pre> of code */
      button.addEventListener("click", function () {
        if (isField) field.select();
        else window.getSelection().selectAllChildren(field);
        navigator.clipboard.writeText(isField ? field.value : field.textContent).then(function () {
          if (status) status.textContent = button.getAttribute("data-fc-copied") || "";
        }, function () {
          if (status) status.textContent = "";
        });
      });
    });
  }

  function init() {
    nameSearchDialog();
    setUpCopyButtons();
    var root = document.querySelector(".fc-claims-index");
    if (root) setUpFilters(root);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
