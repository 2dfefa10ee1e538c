/* Sahel Conflict Wiki: progressive enhancements. Every page reads fully without
   this script; it adds sortable tables, chronology filters (state in the URL)
   and link previews. No third-party code, no requests to other hosts. */
(function () {
  "use strict";

  var MONTHS = ["january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december"];

  /* A sort key for the wiki's date texts: "7 August 2015", "August 2012",
     "c. 2010", "August–September 2012", "2012–2014", "since 2013". */
  function dateKey(text) {
    var t = text.toLowerCase().replace(/^c\.\s*/, "").replace(/^(since|until)\s+/, "");
    var first = t.split(/[–-]/)[0].trim();
    var year = (t.match(/\b(\d{4})\b/) || [])[1];
    if (!year) { return null; }
    var m = first.match(/^(?:(\d{1,2})\s+)?([a-z]+)?\s*(\d{4})?$/);
    var month = 0, day = 0;
    if (m) {
      if (m[2] && MONTHS.indexOf(m[2]) >= 0) { month = MONTHS.indexOf(m[2]) + 1; }
      if (m[1]) { day = parseInt(m[1], 10); }
      if (m[3]) { year = m[3]; }
    }
    return year + "-" + String(month).padStart(2, "0") + "-" + String(day).padStart(2, "0");
  }

  function cellKey(cell) {
    var keyed = cell.querySelector("[data-sort]");
    if (keyed) { return { s: keyed.getAttribute("data-sort") }; }
    var text = cell.textContent.trim();
    if (/^-?[\d,]+$/.test(text)) { return { n: parseFloat(text.replace(/,/g, "")) }; }
    var d = dateKey(text);
    if (d && /\d{4}/.test(text) && text.length < 40) { return { s: d }; }
    return { s: text.toLowerCase() };
  }

  function compare(a, b) {
    if (a.n !== undefined && b.n !== undefined) { return a.n - b.n; }
    var x = a.s !== undefined ? a.s : String(a.n), y = b.s !== undefined ? b.s : String(b.n);
    return x < y ? -1 : x > y ? 1 : 0;
  }

  function makeSortable(table) {
    var heads = table.querySelectorAll("thead th");
    var body = table.tBodies[0];
    if (!body) { return; }
    Array.prototype.forEach.call(heads, function (th, col) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows).map(function (row, i) {
          return { row: row, key: cellKey(row.cells[col]), i: i };
        });
        rows.sort(function (p, q) { return (ascending ? 1 : -1) * compare(p.key, q.key) || p.i - q.i; });
        rows.forEach(function (r) { body.appendChild(r.row); });
      });
    });
  }

  /* ---- chronology filters ---------------------------------------------- */

  function linkKey(a) {
    var m = a.getAttribute("href").match(/(groups|people|places)\/([a-z0-9-]+)(?:\/|\.html)?$/);
    return m ? { kind: m[1], id: m[2], name: a.textContent.trim() } : null;
  }

  function option(select, value, text) {
    var o = document.createElement("option");
    o.value = value;
    o.textContent = text;
    select.appendChild(o);
  }

  function field(form, name, text, values) {
    var label = document.createElement("label");
    label.textContent = text + " ";
    var select = document.createElement("select");
    select.name = name;
    option(select, "", "any");
    values.forEach(function (v) { option(select, v[0], v[1]); });
    label.appendChild(select);
    form.appendChild(label);
    return select;
  }

  function setupFilters(box) {
    var rows = [];
    /* the timeline's marks, by the address of their event: a filter dims those it leaves out */
    var marks = {};
    document.querySelectorAll(".md-content svg.wiki-tl a").forEach(function (a) {
      var path = new URL(a.getAttribute("href"), location.href).pathname;
      (marks[path] = marks[path] || []).push(a);
    });
    var found = { groups: {}, people: {}, places: {}, type: {} };
    document.querySelectorAll(".md-content table tbody tr").forEach(function (tr) {
      if (tr.cells.length < 5) { return; }
      var info = { tr: tr, ids: {}, type: tr.cells[2].textContent.trim(), year: 0, marks: [] };
      var event = tr.cells[1].querySelector("a[href]");
      if (event) { info.marks = marks[new URL(event.getAttribute("href"), location.href).pathname] || []; }
      var key = dateKey(tr.cells[0].textContent);
      info.year = key ? parseInt(key.slice(0, 4), 10) : 0;
      tr.querySelectorAll("a").forEach(function (a) {
        var k = linkKey(a);
        if (k) { info.ids[k.kind + ":" + k.id] = true; found[k.kind][k.id] = k.name; }
      });
      found.type[info.type] = info.type;
      rows.push(info);
    });
    if (!rows.length) { return; }
    var years = rows.map(function (r) { return r.year; }).filter(Boolean);
    var form = document.createElement("form");
    form.className = "wiki-filter-form";
    form.setAttribute("aria-label", "Filter the chronology");
    function sorted(obj) {
      return Object.keys(obj).map(function (k) { return [k, obj[k]]; })
        .sort(function (a, b) { return a[1].localeCompare(b[1]); });
    }
    var selects = {
      group: field(form, "group", "Group", sorted(found.groups)),
      person: field(form, "person", "Person", sorted(found.people)),
      place: field(form, "place", "Place", sorted(found.places)),
      type: field(form, "type", "Type", sorted(found.type))
    };
    var yearValues = [];
    for (var y = Math.min.apply(null, years); y <= Math.max.apply(null, years); y++) { yearValues.push([String(y), String(y)]); }
    selects.from = field(form, "from", "From", yearValues);
    selects.to = field(form, "to", "To", yearValues);
    var status = document.createElement("p");
    status.setAttribute("role", "status");
    status.className = "wiki-filter-status";
    box.textContent = ""; /* the placeholder's empty fields, which kept the form's room */
    box.appendChild(form);
    box.appendChild(status);
    box.hidden = false;

    var params = new URLSearchParams(location.search);
    Object.keys(selects).forEach(function (k) {
      if (params.get(k)) { selects[k].value = params.get(k); }
    });

    function apply() {
      var v = {};
      Object.keys(selects).forEach(function (k) { v[k] = selects[k].value; });
      var shown = 0;
      rows.forEach(function (r) {
        var ok = (!v.group || r.ids["groups:" + v.group]) && (!v.person || r.ids["people:" + v.person]) &&
          (!v.place || r.ids["places:" + v.place]) && (!v.type || r.type === v.type) &&
          (!v.from || r.year >= +v.from) && (!v.to || r.year <= +v.to);
        r.tr.hidden = !ok;
        r.marks.forEach(function (m) { m.classList.toggle("wiki-tl-off", !ok); });
        if (ok) { shown++; }
      });
      document.querySelectorAll(".md-content table").forEach(function (t) {
        var visible = t.querySelectorAll("tbody tr:not([hidden])").length;
        var wrap = t.closest(".md-typeset__scrollwrap") || t;
        wrap.hidden = visible === 0;
        /* the year's heading and count line precede its table */
        var line = wrap.previousElementSibling, heading = line && line.previousElementSibling;
        if (line && line.tagName === "P" && heading && heading.tagName === "H2") {
          line.hidden = heading.hidden = visible === 0;
        }
      });
      status.textContent = shown + " of " + rows.length + " events shown.";
      var q = new URLSearchParams();
      Object.keys(v).forEach(function (k) { if (v[k]) { q.set(k, v[k]); } });
      var query = q.toString();
      history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
    }
    form.addEventListener("change", apply);
    apply();
  }

  /* ---- link previews ----------------------------------------------------- */

  function siteBase() {
    var el = document.getElementById("__config");
    var base = ".";
    try { base = JSON.parse(el.textContent).base || "."; } catch (e) { /* default */ }
    return new URL(base.replace(/\/?$/, "/"), location.href);
  }

  function setupPreviews() {
    var base = siteBase();
    var data = null, loading = null;
    var tip = document.createElement("div");
    tip.className = "wiki-preview";
    tip.setAttribute("role", "tooltip");
    tip.id = "wiki-preview";
    tip.hidden = true;
    document.body.appendChild(tip);

    function load() {
      if (!loading) {
        loading = fetch(new URL("assets/previews.json", base)).then(function (r) { return r.json(); })
          .then(function (d) { data = d; }).catch(function () { data = {}; });
      }
      return loading;
    }
    function keyOf(a) {
      var url = new URL(a.getAttribute("href"), location.href);
      if (url.origin !== base.origin || url.hash) { return null; }
      var path = url.pathname;
      return path.indexOf(base.pathname) === 0 ? path.slice(base.pathname.length) : null;
    }
    function show(a) {
      var key = keyOf(a);
      if (key === null) { return; }
      load().then(function () {
        var item = data && data[key];
        if (!item) { return; }
        tip.textContent = "";
        var title = document.createElement("strong");
        title.textContent = item.title;
        var text = document.createElement("span");
        text.textContent = " (" + item.kind + ") " + item.text;
        tip.appendChild(title);
        tip.appendChild(text);
        var r = a.getBoundingClientRect();
        tip.style.left = Math.max(8, Math.min(r.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - 340)) + "px";
        tip.style.top = (r.bottom + window.scrollY + 6) + "px";
        tip.hidden = false;
        a.setAttribute("aria-describedby", tip.id);
      });
    }
    function hide(a) {
      tip.hidden = true;
      if (a) { a.removeAttribute("aria-describedby"); }
    }
    document.addEventListener("mouseover", function (e) {
      var a = e.target.closest && e.target.closest(".md-content a[href]");
      if (a && !a.closest(".footnote-ref, .footnote-backref, .headerlink")) { show(a); }
    });
    document.addEventListener("mouseout", function (e) {
      var a = e.target.closest && e.target.closest(".md-content a[href]");
      if (a) { hide(a); }
    });
    document.addEventListener("focusin", function (e) {
      if (e.target.matches && e.target.matches(".md-content a[href]")) { show(e.target); }
    });
    document.addEventListener("focusout", function (e) { hide(e.target); });
    document.addEventListener("keydown", function (e) { if (e.key === "Escape") { hide(null); } });
  }

  function init() {
    document.querySelectorAll(".wiki-sortable table").forEach(makeSortable);
    var box = document.querySelector(".wiki-filters");
    if (box) { setupFilters(box); }
    setupPreviews();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
