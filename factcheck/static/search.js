/* Site search with Pagefind in Material's own search box (factcheck/engines/mkdocs/overrides/partials/search.html).
   Pagefind's index is split into small chunks: a first search downloads the chunks its
   words need, never the whole index. Nothing is fetched until the reader opens search.
   Result text is inserted as text nodes, never as HTML: claim text comes from strangers. */

const root = new URL("../../", import.meta.url);
const box = document.querySelector(".fc-search");
const toggle = document.getElementById("__search");
const LIMIT = 10;

let pagefind = null;

/* The index may come in several bundles (factcheck/publish/search.py): the first is loaded, the
   others are merged into it, and one query searches them all. */
const bundles = ((box && box.dataset.bundles) || "pagefind/").split(/\s+/).filter(Boolean);

async function engine() {
  if (!pagefind) {
    pagefind = import(new URL(bundles[0] + "pagefind.js", root).href).then(async (module) => {
      await module.options({ baseUrl: root.pathname });
      await module.init();
      for (const extra of bundles.slice(1)) {
        await module.mergeIndex(new URL(extra, root).href, { baseUrl: root.pathname });
      }
      return module;
    });
  }
  return pagefind;
}

/* Pagefind's excerpts are escaped text with <mark> around matches: rebuild them as nodes. */
function excerptNodes(excerpt) {
  const decoder = document.createElement("textarea");
  const nodes = [];
  excerpt.split(/(<mark>|<\/mark>)/).reduce((marked, part) => {
    if (part === "<mark>") return true;
    if (part === "</mark>") return false;
    decoder.innerHTML = part;  /* a textarea's content is plain text: this only decodes entities */
    const text = document.createTextNode(decoder.value);
    if (marked) {
      const mark = document.createElement("mark");
      mark.append(text);
      nodes.push(mark);
    } else {
      nodes.push(text);
    }
    return marked;
  }, false);
  return nodes;
}

function item(data) {
  const li = document.createElement("li");
  li.className = "md-search-result__item";
  const link = document.createElement("a");
  link.className = "md-search-result__link";
  /* The page's URL, from the document's `url` metadata (factcheck/publish/search.py), relative to the site. */
  link.href = data.meta && data.meta.url !== undefined ? new URL(data.meta.url, root).href : data.url;
  link.tabIndex = -1;
  const article = document.createElement("article");
  article.className = "md-search-result__article md-typeset";
  const icon = document.createElement("div");
  icon.className = "md-search-result__icon md-icon";
  const title = document.createElement("h1");
  title.textContent = (data.meta && data.meta.title) || link.href;
  const text = document.createElement("p");
  text.append(...excerptNodes(data.excerpt || ""));
  article.append(icon, title, text);
  link.append(article);
  li.append(link);
  return li;
}

function setUp() {
  if (!box) return;
  const input = box.querySelector(".md-search__input");
  const form = box.querySelector("form");
  const result = box.querySelector(".md-search-result");
  const meta = result.querySelector(".md-search-result__meta");
  const list = result.querySelector(".md-search-result__list");
  let latest = 0;

  function count(n) {
    if (n === 0) return result.dataset.none;
    if (n === 1) return result.dataset.one;
    return result.dataset.other.replace("#", n.toLocaleString());
  }

  async function run() {
    const query = input.value.trim();
    const mine = ++latest;
    if (!query) {
      meta.textContent = result.dataset.placeholder;
      list.replaceChildren();
      return;
    }
    let found;
    try {
      found = await (await engine()).debouncedSearch(query, {}, 150);
    } catch (error) {
      meta.textContent = result.dataset.unavailable || "Search is not available here.";
      return;
    }
    if (found === null || mine !== latest) return;  /* superseded by a newer query */
    const data = await Promise.all(found.results.slice(0, LIMIT).map((r) => r.data()));
    if (mine !== latest) return;
    meta.textContent = count(found.results.length);
    list.replaceChildren(...data.map(item));
  }

  function open() {
    if (toggle && !toggle.checked) toggle.checked = true;
    engine().catch(() => {});
  }

  function close() {
    if (toggle) toggle.checked = false;
    input.blur();
  }

  input.addEventListener("focus", open);
  input.addEventListener("input", run);
  form.addEventListener("reset", () => setTimeout(run, 0));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const first = list.querySelector("a");
    if (first) window.location.href = first.href;
  });
  if (toggle) {
    toggle.addEventListener("change", () => { if (toggle.checked) input.focus(); });
  }
  document.addEventListener("keydown", (event) => {
    const typing = event.target instanceof HTMLElement &&
      (event.target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName));
    if (event.key === "Escape" && toggle && toggle.checked) {
      close();
    } else if (!typing && !event.ctrlKey && !event.metaKey && !event.altKey &&
               (event.key === "/" || event.key === "s" || event.key === "f")) {
      event.preventDefault();
      open();
      input.focus();
    }
  });
}

setUp();
