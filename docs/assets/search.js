/* Sahel Conflict Wiki: the search box (macros/search.py builds what it searches).
   A button in the header opens a dialog; nothing is fetched before it opens. Online it
   queries Pagefind's index, which loads only the chunks a query needs; in the offline
   edition (file://, where Pagefind cannot fetch), or a site set to search titles
   (extra.wiki.search: titles), it searches one index of titles, names and summaries
   loaded as a script. The query, facets and sort live in the page's
   URL (?q=…&kind=…), so a search can be shared. No third-party code or request. */
(function () {
  "use strict";

  var FACETS = [["kind", "Kind"], ["year", "Year"], ["group", "Group involved"], ["type", "Event type"]];
  /* URL parameter of each facet: "group" and "type" are the chronology filters' own. */
  var PARAM = { kind: "kind", year: "year", group: "group-involved", type: "event-type" };
  var SORTS = [["", "Best match"], ["desc", "Date, newest first"], ["asc", "Date, oldest first"]];
  var PAGE = 10;

  var root = document.querySelector("[data-wiki-search]");
  if (!root || typeof HTMLDialogElement !== "function") { return; }
  var titles = root.getAttribute("data-engine") === "titles";
  var offline = root.hasAttribute("data-offline");
  var base = siteBase();

  function siteBase() {
    var el = document.getElementById("__config");
    var path = ".";
    try { path = JSON.parse(el.textContent).base || "."; } catch (e) { /* default */ }
    return new URL(path.replace(/\/?$/, "/"), location.href);
  }

  function make(tag, cls, text) {
    var el = document.createElement(tag);
    if (cls) { el.className = cls; }
    if (text) { el.textContent = text; }
    return el;
  }

  /* ---- the dialog --------------------------------------------------------- */

  var dialog = make("dialog", "wiki-search__dialog");
  dialog.id = "wiki-search-dialog";
  dialog.setAttribute("aria-labelledby", "wiki-search-title");
  var form = make("form", "wiki-search__form");
  form.setAttribute("role", "search");
  var head = make("div", "wiki-search__head");
  var title = make("h2", "wiki-search__title", "Search the wiki");
  title.id = "wiki-search-title";
  var close = make("button", "wiki-search__close", "Close");
  close.type = "button";
  head.appendChild(title);
  head.appendChild(close);
  var queryLabel = make("label", "wiki-search__label", "Words to search for");
  queryLabel.htmlFor = "wiki-search-q";
  var input = make("input", "wiki-search__input");
  input.id = "wiki-search-q";
  input.type = "search";
  input.name = "q";
  input.autocomplete = "off";
  input.spellcheck = false;
  input.setAttribute("autocapitalize", "off");
  input.setAttribute("enterkeyhint", "search");
  input.placeholder = "Group, person, place, event…";
  var facets = make("div", "wiki-search__facets");
  facets.id = "wiki-search-facets";
  /* The facets' values are loaded when a reader asks for them (or a shared URL has one): at
     10,000 events they are about a third of what a first search would otherwise fetch. */
  var showFacets = make("button", "wiki-search__show-facets", "Filter by kind, year, group or type");
  showFacets.type = "button";
  showFacets.setAttribute("aria-expanded", "false");
  showFacets.setAttribute("aria-controls", facets.id);
  facets.appendChild(showFacets);
  var selects = {};
  FACETS.forEach(function (f) { selects[f[0]] = field(f[1], [["", "Any"]]); selects[f[0]].closest("label").hidden = true; });
  selects.sort = field("Sort", SORTS);
  form.appendChild(head);
  form.appendChild(queryLabel);
  form.appendChild(input);
  form.appendChild(facets);
  var status = make("p", "wiki-search__status");
  status.setAttribute("role", "status");
  var list = make("ol", "wiki-search__results");
  list.setAttribute("aria-label", "Results");
  var more = make("button", "wiki-search__more", "Show more results");
  more.type = "button";
  more.hidden = true;
  var note = make("p", "wiki-search__note", titles
    ? (offline ? "Offline edition: searches" : "Searches") + " titles, names and summaries."
    : "Searches the text of every page; entity names and aliases count most.");
  dialog.appendChild(form);
  dialog.appendChild(status);
  dialog.appendChild(list);
  dialog.appendChild(more);
  dialog.appendChild(note);
  document.body.appendChild(dialog);

  function field(text, options) {
    var label = make("label", "wiki-search__facet");
    label.appendChild(make("span", "", text));
    var select = document.createElement("select");
    options.forEach(function (o) { addOption(select, o[0], o[1]); });
    label.appendChild(select);
    facets.appendChild(label);
    return select;
  }

  function addOption(select, value, text) {
    var o = document.createElement("option");
    o.value = value;
    o.textContent = text;
    select.appendChild(o);
  }

  /* ---- engines: Pagefind online, the inlined index offline ----------------- */

  var engine = null;

  function loadEngine() {
    if (!engine) {
      engine = (titles ? titlesEngine() : pagefindEngine()).catch(function (error) {
        engine = null;
        throw error;
      });
    }
    return engine;
  }

  function pagefindEngine() {
    return import(new URL("pagefind/pagefind.js", base).href).then(function (pf) {
      /* Entity pages are long (infobox, event lists): Pagefind's default favours short pages
         (pageLength 0.75), which put an event titled "JNIM …" above JNIM's own page. */
      return pf.options({ baseUrl: base.pathname, excerptLength: 24, ranking: { pageLength: 0.3 } }).then(function () {
        return {
          values: function () { return pf.filters(); },
          search: function (q, filters, sort) {
            var options = { filters: filters };
            if (sort) { options.sort = { date: sort }; }
            return pf.search(q || null, options).then(function (found) {
              return {
                total: found.results.length,
                counts: found.filters || {},
                load: function (from, to) {
                  return Promise.all(found.results.slice(from, to).map(function (r) {
                    return r.data().then(function (d) {
                      return { url: d.url, title: d.meta.title || d.url, kind: d.meta.kind || "",
                        date: d.meta.date || "", excerpt: d.excerpt };
                    });
                  }));
                }
              };
            });
          }
        };
      });
    });
  }

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function escapeHtml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  function words(text) {
    return fold(text).split(/[^a-z0-9]+/).filter(Boolean);
  }

  function titlesEngine() {
    return new Promise(function (resolve, reject) {
      if (window.wikiSearchIndex) { resolve(window.wikiSearchIndex); return; }
      var script = document.createElement("script");
      script.src = new URL("assets/search-offline.js", base).href;
      script.onload = function () { resolve(window.wikiSearchIndex); };
      script.onerror = reject;
      document.head.appendChild(script);
    }).then(function (data) {
      var pages = data.pages.map(function (p) {
        return { p: p, names: words((p.n || []).join(" ")), title: words(p.t), text: words(p.s || ""),
          whole: (p.n || []).concat(p.t).map(function (n) { return words(n).join(" "); }) };
      });
      var values = {};
      data.pages.forEach(function (p) {
        Object.keys(p.f).forEach(function (key) {
          values[key] = values[key] || {};
          p.f[key].forEach(function (v) { values[key][v] = (values[key][v] || 0) + 1; });
        });
      });
      /* Every word must be found (as a word or a word's beginning); an entity's own names
         count most, then the title, then the summary; a whole name scores on top. */
      function best(list, t, exact, prefix) {
        var found = 0;
        list.forEach(function (w) { found = Math.max(found, w === t ? exact : w.indexOf(t) === 0 ? prefix : 0); });
        return found;
      }
      function score(page, terms) {
        var total = 0;
        for (var i = 0; i < terms.length; i++) {
          var s = Math.max(best(page.names, terms[i], 12, 6), best(page.title, terms[i], 10, 5), best(page.text, terms[i], 2, 1));
          if (!s) { return 0; }
          total += s;
        }
        return total + (page.whole.indexOf(terms.join(" ")) >= 0 ? 20 : 0);
      }
      function keep(page, filters) {
        return Object.keys(filters).every(function (key) {
          return (page.p.f[key] || []).indexOf(filters[key]) >= 0;
        });
      }
      return {
        values: function () { return Promise.resolve(values); },
        search: function (q, filters, sort) {
          var terms = words(q || "");
          var found = [];
          pages.forEach(function (page) {
            var s = terms.length ? score(page, terms) : 1;
            if (s && keep(page, filters)) { found.push({ page: page, score: s }); }
          });
          if (sort) {
            found = found.filter(function (f) { return f.page.p.o; });
            found.sort(function (a, b) { return (a.page.p.o < b.page.p.o ? -1 : a.page.p.o > b.page.p.o ? 1 : 0) * (sort === "asc" ? 1 : -1); });
          } else {
            found.sort(function (a, b) { return b.score - a.score || a.page.title.length - b.page.title.length; });
          }
          var counts = {};
          found.forEach(function (f) {
            Object.keys(f.page.p.f).forEach(function (key) {
              counts[key] = counts[key] || {};
              f.page.p.f[key].forEach(function (v) { counts[key][v] = (counts[key][v] || 0) + 1; });
            });
          });
          var pattern = terms.length ? new RegExp("\\b(" + terms.map(function (t) {
            return t.replace(/[^a-z0-9]/g, "");
          }).join("|") + ")", "gi") : null;
          return Promise.resolve({
            total: found.length,
            counts: counts,
            load: function (from, to) {
              return Promise.resolve(found.slice(from, to).map(function (f) {
                var p = f.page.p, summary = escapeHtml(p.s || "");
                return { url: new URL(p.u, base).href, title: p.t, kind: p.k, date: p.d || "",
                  excerpt: pattern ? summary.replace(pattern, "<mark>$1</mark>") : summary };
              }));
            }
          });
        }
      };
    });
  }

  /* ---- state: the form <-> the URL ---------------------------------------- */

  function readState(params) {
    var state = { q: params.get("q") || "", filters: {}, sort: params.get("sort") || "" };
    FACETS.forEach(function (f) {
      var v = params.get(PARAM[f[0]]);
      if (v) { state.filters[f[0]] = v; }
    });
    if (state.sort !== "asc" && state.sort !== "desc") { state.sort = ""; }
    return state;
  }

  function formState() {
    var state = { q: input.value.trim(), filters: {}, sort: selects.sort.value };
    FACETS.forEach(function (f) {
      if (selects[f[0]].value) { state.filters[f[0]] = selects[f[0]].value; }
    });
    return state;
  }

  function writeUrl(state) {
    var params = new URLSearchParams(location.search);
    ["q", "sort"].concat(FACETS.map(function (f) { return PARAM[f[0]]; })).forEach(function (k) { params.delete(k); });
    if (state) {
      if (state.q) { params.set("q", state.q); }
      FACETS.forEach(function (f) {
        if (state.filters[f[0]]) { params.set(PARAM[f[0]], state.filters[f[0]]); }
      });
      if (state.sort) { params.set("sort", state.sort); }
    }
    var query = params.toString();
    var url = location.pathname + (query ? "?" + query : "") + location.hash;
    if (url !== location.pathname + location.search + location.hash) { history.replaceState(history.state, "", url); }
  }

  function hasState(state) {
    return Boolean(state.q || Object.keys(state.filters).length);
  }

  /* ---- facets ------------------------------------------------------------- */

  var values = null; /* each facet's values and counts, once loaded (see openFacets) */

  function fillFacets(counts, chosen) {
    if (!values) { return; }
    FACETS.forEach(function (f) {
      var key = f[0], select = selects[key];
      var all = Object.keys(values[key] || {});
      all.sort(key === "year" ? function (a, b) { return b - a; } : function (a, b) { return a.localeCompare(b); });
      select.textContent = "";
      addOption(select, "", "Any");
      all.forEach(function (v) {
        var n = counts && counts[key] ? counts[key][v] || 0 : values[key][v];
        if (n || v === chosen[key]) { addOption(select, v, v + " (" + n + ")"); }
      });
      select.value = chosen[key] || "";
      select.closest("label").hidden = all.length === 0;
    });
  }

  /* ---- searching and showing results ------------------------------------- */

  var shown = 0, current = null, ticket = 0, timer = 0;

  function run() {
    /* A search that was still on its way when the dialog closed (the facets' values, say) must
       not write its state back into the address the close just cleared. */
    if (!dialog.open) { return Promise.resolve(); }
    var state = formState();
    var mine = ++ticket;
    writeUrl(state);
    if (!hasState(state)) {
      list.textContent = "";
      more.hidden = true;
      status.textContent = "Type a name, a place or any word, or choose a facet.";
      fillFacets(null, state.filters);
      return Promise.resolve();
    }
    status.textContent = "Searching…";
    return loadEngine().then(function (e) {
      return e.search(state.q, state.filters, state.sort);
    }).then(function (found) {
      if (mine !== ticket) { return null; }
      current = found;
      shown = 0;
      fillFacets(found.counts, state.filters);
      var what = state.q ? " for “" + state.q + "”" : "";
      var n = found.total;
      var said = (n === 0 ? "No results" : n === 1 ? "1 result" : n + " results") + what +
        (state.sort ? ", by date (pages with an event date only)" : "") + ".";
      /* The old results stay until the new ones are drawn, and the count is said with them:
         the list is never empty in between, and the status never runs ahead of the list. */
      return showMore(mine, true).then(function () {
        if (mine === ticket) { status.textContent = said; }
      });
    }).catch(function () {
      if (mine !== ticket) { return; }
      status.textContent = location.protocol === "file:" && !titles
        ? "Search needs the site served over http(s); the offline edition searches from a folder."
        : "Search could not load. Check the connection and try again.";
    });
  }

  function showMore(mine, fresh) {
    if (!current) { return Promise.resolve(); }
    var from = shown;
    return current.load(from, from + PAGE).then(function (items) {
      if (mine !== ticket) { return; }
      if (fresh) { list.textContent = ""; }
      items.forEach(function (item) { list.appendChild(resultItem(item)); });
      shown = from + items.length;
      more.hidden = shown >= current.total;
    });
  }

  function resultItem(item) {
    var li = make("li", "wiki-search__result");
    var a = make("a", "wiki-search__link", item.title);
    a.href = new URL(item.url, base).href;
    li.appendChild(a);
    var meta = [item.kind, item.date].filter(Boolean).join(" · ");
    if (meta) { li.appendChild(make("p", "wiki-search__meta", meta)); }
    if (item.excerpt) {
      var p = make("p", "wiki-search__excerpt");
      p.innerHTML = item.excerpt; /* Pagefind's excerpt, or our own: text escaped, <mark> added */
      li.appendChild(p);
    }
    return li;
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(run, 180);
  }

  /* ---- opening, closing, keys --------------------------------------------- */

  function open(state) {
    if (!dialog.open) { dialog.showModal(); }
    if (state) {
      input.value = state.q;
      FACETS.forEach(function (f) {
        var v = state.filters[f[0]] || "";
        if (v && !Array.prototype.some.call(selects[f[0]].options, function (o) { return o.value === v; })) {
          addOption(selects[f[0]], v, v);
        }
        selects[f[0]].value = v;
      });
      selects.sort.value = state.sort;
    }
    input.focus();
    if (state && Object.keys(state.filters).length) { openFacets(); }
    loadEngine().then(function () { return run(); }).catch(function () { run(); });
  }

  function openFacets() {
    if (showFacets.getAttribute("aria-expanded") === "true") { return Promise.resolve(); }
    showFacets.setAttribute("aria-expanded", "true");
    showFacets.hidden = true;
    return loadEngine().then(function (e) { return e.values(); }).then(function (all) {
      values = all;
      fillFacets(null, formState().filters);
      return run(); /* again, for the counts of each value among the results */
    }).catch(function () {
      showFacets.hidden = false;
      showFacets.setAttribute("aria-expanded", "false");
    });
  }

  var button = root.querySelector(".wiki-search__open");
  button.hidden = false;
  button.addEventListener("click", function () { open(null); });
  close.addEventListener("click", function () { dialog.close(); });
  dialog.addEventListener("close", function () {
    ticket++; /* results still on their way are for a search no one sees */
    clearTimeout(timer);
    writeUrl(null);
  });
  dialog.addEventListener("click", function (e) { if (e.target === dialog) { dialog.close(); } });
  input.addEventListener("input", schedule);
  facets.addEventListener("change", run);
  showFacets.addEventListener("click", function () {
    openFacets().then(function () { var first = facets.querySelector("label:not([hidden]) select"); if (first) { first.focus(); } });
  });
  more.addEventListener("click", function () {
    var next = list.children.length;
    showMore(ticket).then(function () {
      var link = list.children[next] && list.children[next].querySelector("a");
      if (link) { link.focus(); }
    });
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(timer);
    run().then(function () {
      var first = list.querySelector("a");
      if (first) { first.click(); }
    });
  });

  function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }

  dialog.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { /* close at once: a search field would first clear itself */
      e.preventDefault();
      dialog.close();
      return;
    }
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") { return; }
    var all = links(), at = all.indexOf(document.activeElement);
    if (document.activeElement === input && e.key === "ArrowDown" && all.length) {
      all[0].focus();
    } else if (at >= 0) {
      var next = at + (e.key === "ArrowDown" ? 1 : -1);
      (next < 0 ? input : all[Math.min(next, all.length - 1)]).focus();
    } else {
      return;
    }
    e.preventDefault();
  });

  document.addEventListener("keydown", function (e) {
    if (dialog.open || e.defaultPrevented || e.altKey) { return; }
    var target = e.target, typing = target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
    if ((e.key === "/" && !typing && !e.ctrlKey && !e.metaKey) || (e.key === "k" && (e.ctrlKey || e.metaKey))) {
      e.preventDefault();
      open(null);
    }
  });

  var initial = readState(new URLSearchParams(location.search));
  if (hasState(initial)) { open(initial); }
}());
