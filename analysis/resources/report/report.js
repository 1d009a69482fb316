/* The framing report's script (analysis/report/site).
 *
 * Hand-written vanilla JavaScript, no library: the page has to open from file:// with no network
 * request, and a few tables and one scatter plot need none. Every text that comes from the corpus
 * (article texts, titles, outlet names, ids) reaches the page through textContent or text nodes,
 * never through innerHTML, so markup inside an article stays visible text.
 *
 * The data are JSON blocks (script elements of type application/json, id data-NAME), parsed when a
 * page is first shown, so the first page does not wait for the largest blocks.
 */
(function () {
  "use strict";

  // ------------------------------------------------------------------ data and small helpers
  const parsed = {};
  function data(name) {
    if (!(name in parsed)) {
      const node = document.getElementById("data-" + name);
      parsed[name] = node ? JSON.parse(node.textContent) : null;
    }
    return parsed[name];
  }

  const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
  function int(n) { return n === null || n === undefined ? "–" : integer.format(n); }
  function num(x, digits) { return x === null || x === undefined || !isFinite(x) ? "–" : Number(x).toFixed(digits); }
  function pct(x) { return x === null || x === undefined || !isFinite(x) ? "–" : (100 * x).toFixed(0) + " %"; }

  /** An element with attributes (set with setAttribute), listeners (on...) and children
   *  (strings become text nodes). */
  function h(tag, props, children) {
    const node = document.createElement(tag);
    setProps(node, props);
    append(node, children);
    return node;
  }
  const SVGNS = "http://www.w3.org/2000/svg";
  function s(tag, props, children) {
    const node = document.createElementNS(SVGNS, tag);
    setProps(node, props);
    append(node, children);
    return node;
  }
  function setProps(node, props) {
    for (const key of Object.keys(props || {})) {
      const value = props[key];
      if (value === null || value === undefined || value === false) continue;
      if (key === "text") node.textContent = String(value);
      else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, String(value));
    }
  }
  function append(node, children) {
    if (children === null || children === undefined) return;
    for (const child of [].concat(children)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(typeof child === "object" ? child : String(child));
    }
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  const COLOR = /^#[0-9a-fA-F]{3,8}$/;
  function outletColor(name) {
    const meta = data("meta") || {};
    const color = (meta.colors || {})[name];
    return COLOR.test(color || "") ? color : "#888888";
  }
  function chip(name) {
    return s("svg", { class: "chip", viewBox: "0 0 10 10", "aria-hidden": "true" },
      s("circle", { cx: 5, cy: 5, r: 5, fill: outletColor(name) }));
  }
  function note(text) { return h("p", { class: "note", text: text }); }

  /** A CSV text (RFC 4180 quoting). */
  function toCSV(columns, rows) {
    const field = (v) => {
      const t = v === null || v === undefined ? "" : String(v);
      return /[",\r\n]/.test(t) ? '"' + t.replace(/"/g, '""') + '"' : t;
    };
    return [columns].concat(rows).map((r) => r.map(field).join(",")).join("\n") + "\n";
  }
  const downloads = [];
  /** Offer a text as a file: a Blob URL, made and revoked here (no network). */
  function download(name, text) {
    downloads.push({ name: name, text: text });
    const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
    const link = h("a", { href: url, download: name });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  }
  function fileName(text) { return String(text).replace(/[^A-Za-z0-9ÄÖÜäöüß_-]+/g, "-").replace(/^-+|-+$/g, "") || "table"; }

  /** A table of records {columns, rows}; numbers right-aligned, formats by column name. */
  function recordsTable(records, formats, options) {
    options = options || {};
    const numeric = records.columns.map((_, i) => records.rows.length > 0 &&
      records.rows.every((r) => r[i] === null || typeof r[i] === "number"));
    const head = h("tr", null, records.columns.map((c, i) => h("th", { class: numeric[i] ? "num" : null, text: c })));
    const limit = options.limit || records.rows.length;
    const body = records.rows.slice(0, limit).map((row) => h("tr", null, row.map((v, i) => {
      const f = (formats || {})[records.columns[i]];
      return h("td", { class: numeric[i] ? "num" : null, text: f ? f(v) : (typeof v === "number" ? fmtNumber(v) : v) });
    })));
    return h("table", { class: "data" }, [h("thead", null, head), h("tbody", null, body)]);
  }
  function fmtNumber(v) { return Number.isInteger(v) ? int(v) : num(v, Math.abs(v) >= 100 ? 1 : 3); }
  function column(records, name) { return records.columns.indexOf(name); }

  /** Sentences with the counted words marked: items [sentence, start, end, doc_id]. */
  function evidenceList(cell, extra) {
    if (!cell || !cell.items || !cell.items.length) return note("No sentence is embedded for this cell.");
    const list = h("ul", { class: "evidence" }, cell.items.map((item, i) => {
      const [sentence, a, b, doc] = item;
      return h("li", null, [sentence.slice(0, a), h("mark", { text: sentence.slice(a, b) }), sentence.slice(b),
        h("span", { class: "small", text: " — " + doc + (extra && extra[i] ? " · " + extra[i] : "") })]);
    }));
    return h("div", null, [list, note(`${int(cell.items.length)} of ${int(cell.n)} shown (the first in corpus order).`)]);
  }

  // ------------------------------------------------------------------ keyness (as analysis.stats.keyness)
  /** Log-odds ratio with an informative Dirichlet prior, z-scores (Monroe, Colaresi & Quinn 2008),
   *  exactly as analysis.stats.keyness.keyness with its defaults: alpha0 = min(Nt, Nr) / 10,
   *  alpha(w) = alpha0 * pi(w), pi from the compared texts ("pooled") or the whole corpus ("all");
   *  variance 1/(a+alpha) + 1/(b+alpha). Terms neither side uses are left out, as in Python. */
  function keynessRows(T, a, b, prior) {
    const V = T.terms.length;
    const colsum = T._colsum;
    const nt = T.totals[a];
    const nr = b < 0 ? T._total - nt : T.totals[b];
    const alpha0 = Math.min(nt, nr) / 10;
    const rows = [];
    for (let t = 0; t < V; t++) {
      const x = T.counts[a][t];
      const y = b < 0 ? colsum[t] - x : T.counts[b][t];
      if (x + y === 0) continue;
      const pi = prior === "all" ? colsum[t] / T._total : (x + y) / (nt + nr);
      const alpha = alpha0 * pi;
      const yi = x + alpha, yj = y + alpha;
      const delta = (Math.log(yi) - Math.log(nt + alpha0 - yi)) - (Math.log(yj) - Math.log(nr + alpha0 - yj));
      const z = delta / Math.sqrt(1 / yi + 1 / yj) + 0;
      const lr = Math.log2((x || 0.5) / nt) - Math.log2((y || 0.5) / nr);
      rows.push({ t: t, na: x, nb: y, ra: 1000 * x / nt, rb: 1000 * y / nr, z: z, lr: lr });
    }
    return rows;
  }
  function termsData() {
    const T = data("terms");
    if (T && !T._colsum) {
      T._colsum = new Float64Array(T.terms.length);
      for (const row of T.counts) for (let t = 0; t < row.length; t++) T._colsum[t] += row[t];
      T._total = T.totals.reduce((x, y) => x + y, 0);
      T._kwic = new Set(T.kwic_terms);
      T._lines = new Map();
      for (const line of T.kwic) {
        if (!T._lines.has(line[0])) T._lines.set(line[0], []);
        T._lines.get(line[0]).push(line);
      }
    }
    return T;
  }

  // ------------------------------------------------------------------ pages
  const TABS = [["overview", "Corpus"], ["terms", "Term explorer"], ["labels", "Actor labels"], ["frames", "Frames"],
    ["quotes", "Quotations & sources"], ["sentiment", "Sentiment"], ["figures", "Figures"]];
  const sections = {};
  const rendered = {};
  const buttons = {};

  function overviewPage(root) {
    const O = data("overview");
    const c = O.corpus;
    const outlets = O.outlets;
    root.append(h("h2", { text: "Corpus" }));
    root.append(h("div", { class: "cards" }, [
      card(int(c.articles), "articles"), card(int(c.running_words), "running words"),
      card(int(outlets.rows.length), c.group + " values"),
      card((c.first_date || "–") + " – " + (c.last_date || "–"), "dates"), card(int(c.read), "input records read")]));
    root.append(note(`Source: ${c.source}. Grouped by ${c.group}, terms counted as ${c.by}s` +
      (c.where ? `, documents chosen with --where ${c.where}` : "") +
      `. ${int(c.entities)} entities ${c.entities_found ? "found in the text (no registry given)" : "from the registry"}.`));
    root.append(h("h3", { text: `${c.group} × articles × running words` }));
    root.append(recordsTable(outlets, { [c.group]: (v) => v }));
    root.append(h("h3", { text: "Ingest ledger" }));
    root.append(note("Every input record, loaded or excluded, by reason (ledger.csv of python -m analysis corpus has one row per record)."));
    root.append(recordsTable(O.ledger));
    root.append(h("h3", { text: "Cleaning audit" }));
    root.append(note("Edits of the cleaning by rule: how many, in how many articles (cleaning_audit.csv has every edit, reversible)."));
    root.append(O.audit.rows.length ? recordsTable(O.audit) : note("Cleaning changed nothing."));
    const d = O.duplicates;
    root.append(h("h3", { text: "Shared and near-duplicate copies" }));
    root.append(h("div", { class: "cards" }, [
      card(int(d.shared_articles), `articles in ${int(d.shared_texts)} texts printed by more than one ${c.group}`),
      card(int(d.near_articles), `near-duplicate articles in ${int(d.near_clusters)} clusters`)]));
    root.append(note("Shared copies (the same wire text in several outlets) are kept and counted for each outlet; python -m analysis duplicates lists the pairs."));
  }
  function card(value, label) { return h("div", { class: "card" }, [h("b", { text: value }), h("span", { text: label })]); }

  // ---- term explorer
  const explorer = { a: 0, b: -1, prior: "pooled", query: "", key: "z", desc: true, selected: -1, rows: [] };

  function termsPage(root) {
    const T = termsData();
    const K = T.outlets.length;
    const O = T.omitted;
    root.append(h("h2", { text: "Term explorer" }));
    root.append(note(`${int(T.terms.length)} of ${int(O.terms_used)} terms are kept (${int(O.terms)} left out): the ` +
      `${int(O.typical_per_outlet)} most typical terms of each ${data("meta").group} against the rest, then the most frequent. ` +
      `KWIC lines are embedded for ${int(T.kwic_terms.length)} terms (${int(O.terms_without_kwic)} without), at most ` +
      `${int(O.kwic_lines_per_outlet)} per ${data("meta").group}, each from another article: ${int(T.kwic.length)} lines shown, ` +
      `${int(O.kwic_lines_left_out)} occurrences of those terms left out; ${int(O.articles)} articles embedded ` +
      `(${int(O.articles_left_out)} not).`));
    if (K < 2) {
      explorer.b = -2;
      root.append(note("The corpus has one group: there is nothing to compare; the terms and their KWIC lines are listed."));
    } else if (K === 2) {
      explorer.b = 1;
    }
    const pickA = h("select", { id: "outlet-a", onchange: () => { explorer.a = +pickA.value; fillB(); update(); } },
      T.outlets.map((name, i) => h("option", { value: i, text: name })));
    const pickB = h("select", { id: "outlet-b", onchange: () => { explorer.b = +pickB.value; update(); } });
    function fillB() {
      clear(pickB);
      if (K < 2) return;
      pickB.append(h("option", { value: -1, text: `all other ${data("meta").group}s (the rest)` }));
      T.outlets.forEach((name, i) => { if (i !== explorer.a) pickB.append(h("option", { value: i, text: name })); });
      if (explorer.b === explorer.a || (explorer.b >= 0 && explorer.b >= K)) explorer.b = -1;
      pickB.value = String(explorer.b);
    }
    const pickPrior = h("select", { id: "prior", onchange: () => { explorer.prior = pickPrior.value; update(); } }, [
      h("option", { value: "pooled", text: "compared texts (as python -m analysis keyness)" }),
      h("option", { value: "all", text: "whole corpus (prior='all')" })]);
    const search = h("input", { id: "term-search", type: "search", placeholder: "search terms", autocomplete: "off",
      oninput: () => { explorer.query = search.value.trim().toLowerCase(); drawScatter(); drawTable(); } });
    const save = h("button", { class: "action", id: "download-keyness", text: "Download table (CSV)", onclick: saveTable });
    root.append(h("div", { class: "controls" }, [
      h("label", null, ["Outlet A", pickA]), h("label", null, ["compared with B", pickB]),
      h("label", null, ["prior", pickPrior]), h("label", null, ["search", search]), save]));
    const plot = h("div", { id: "scatter-box" });
    const kwicBox = h("div", { id: "kwic", class: "kwic" });
    root.append(h("div", { class: "explorer" }, [h("div", null, [plot, legend(), note(T.prior_note)]), kwicBox]));
    const tableNote = h("p", { class: "note", id: "table-note" });
    const tableBox = h("div", { class: "tablebox", id: "keyness-table" });
    root.append(h("h3", { text: "Keyness table" }), tableNote, tableBox);
    explorer.nodes = { plot: plot, kwic: kwicBox, table: tableBox, tableNote: tableNote };
    fillB();
    update();
  }

  function legend() {
    const bar = s("svg", { width: 160, height: 12, viewBox: "0 0 160 12" }, [
      s("defs", null, s("linearGradient", { id: "zscale" }, [
        s("stop", { offset: "0", "stop-color": "#2166ac" }), s("stop", { offset: "0.5", "stop-color": "#d9d9d9" }),
        s("stop", { offset: "1", "stop-color": "#b2182b" })])),
      s("rect", { x: 0, y: 0, width: 160, height: 12, fill: "url(#zscale)" })]);
    return h("div", { class: "legend" }, [h("span", { class: "neg", text: "typical of B" }), bar,
      h("span", { class: "pos", text: "typical of A" }), h("span", { text: "(colour: z)" })]);
  }

  function update() {
    const T = termsData();
    if (explorer.b === -2) {
      const nt = T.totals[0];
      explorer.rows = T.terms.map((_, t) => ({ t: t, na: T.counts[0][t], nb: 0, ra: 1000 * T.counts[0][t] / nt, rb: 0, z: 0, lr: 0 }));
    } else {
      explorer.rows = keynessRows(T, explorer.a, explorer.b, explorer.prior);
    }
    drawScatter();
    drawTable();
    drawKwic();
  }
  function sideName(b) { const T = termsData(); return b < 0 ? "rest" : T.outlets[b]; }

  function colorOf(z, cap) {
    const v = Math.max(-1, Math.min(1, z / cap));
    const mix = (c0, c1, f) => c0.map((c, i) => Math.round(c + (c1[i] - c) * f));
    const grey = [217, 217, 217], red = [178, 24, 43], blue = [33, 102, 172];
    const c = v >= 0 ? mix(grey, red, v) : mix(grey, blue, -v);
    return "rgb(" + c.join(",") + ")";
  }

  function drawScatter() {
    const T = termsData();
    const box = explorer.nodes.plot;
    clear(box);
    const rows = explorer.rows;
    if (!rows.length || explorer.b === -2) { box.append(note("Nothing to plot.")); return; }
    const nt = T.totals[explorer.a];
    const nr = explorer.b < 0 ? T._total - nt : T.totals[explorer.b];
    const W = 640, H = 560, L = 62, R = 14, TOP = 14, B = 50;
    const xv = (r) => Math.log10(1000 * Math.max(r.nb, 0.5) / nr), yv = (r) => Math.log10(1000 * Math.max(r.na, 0.5) / nt);
    let lo = Infinity, hi = -Infinity;
    for (const r of rows) { lo = Math.min(lo, xv(r), yv(r)); hi = Math.max(hi, xv(r), yv(r)); }
    const pad = Math.max(0.05, (hi - lo) * 0.04);
    lo -= pad; hi += pad;
    const X = (v) => L + (v - lo) / (hi - lo) * (W - L - R), Y = (v) => H - B - (v - lo) / (hi - lo) * (H - TOP - B);
    const svg = s("svg", { class: "scatter", id: "scatter", viewBox: `0 0 ${W} ${H}`, role: "img",
      "aria-label": `term rates of ${T.outlets[explorer.a]} against ${sideName(explorer.b)}` });
    const axis = s("g", { class: "axis" });
    for (let e = Math.ceil(lo); e <= Math.floor(hi); e++) {
      const label = e >= 0 ? String(Math.pow(10, e)) : Math.pow(10, e).toFixed(-e);
      axis.append(s("line", { x1: X(e), x2: X(e), y1: TOP, y2: H - B, stroke: "#eee" }),
        s("line", { x1: L, x2: W - R, y1: Y(e), y2: Y(e), stroke: "#eee" }),
        s("text", { x: X(e), y: H - B + 16, "text-anchor": "middle", text: label }),
        s("text", { x: L - 6, y: Y(e) + 4, "text-anchor": "end", text: label }));
    }
    axis.append(s("line", { x1: X(lo), y1: Y(lo), x2: X(hi), y2: Y(hi), stroke: "#bbb", "stroke-dasharray": "4 3" }),
      s("text", { x: (L + W - R) / 2, y: H - 12, "text-anchor": "middle",
        text: `${sideName(explorer.b)}: per 1,000 running words (log scale)` }),
      s("text", { x: 14, y: (TOP + H - B) / 2, "text-anchor": "middle", transform: `rotate(-90 14 ${(TOP + H - B) / 2})`,
        text: `${T.outlets[explorer.a]}: per 1,000 running words (log scale)` }));
    svg.append(axis);
    const zs = rows.map((r) => Math.abs(r.z)).sort((x, y) => x - y);
    const cap = Math.max(2, zs[Math.floor(0.95 * (zs.length - 1))] || 2);
    const query = explorer.query;
    const points = s("g", { id: "points" });
    for (const r of rows.slice().sort((p, q) => Math.abs(p.z) - Math.abs(q.z))) {
      const term = T.terms[r.t];
      const hit = !query || term.toLowerCase().includes(query);
      const dot = s("circle", { cx: X(xv(r)).toFixed(1), cy: Y(yv(r)).toFixed(1), r: query && hit ? 5 : 3.2,
        fill: colorOf(r.z, cap), class: hit ? null : "dim", "data-term": r.t,
        onclick: () => selectTerm(r.t) });
      dot.append(s("title", { text: `${term}\n${T.outlets[explorer.a]}: ${int(r.na)} (${num(r.ra, 3)} per 1,000)\n` +
        `${sideName(explorer.b)}: ${int(r.nb)} (${num(r.rb, 3)} per 1,000)\nz = ${num(r.z, 2)}` }));
      points.append(dot);
    }
    svg.append(points);
    // The eight most typical terms of each side are named, as in the rate_scatter figures,
    // the two sides taking turns, most typical first. Each label takes the first of six places
    // around its point where its box (measured in the page's own font) meets no label already
    // placed and no named point, inside the plot; a term that finds no such place is not named
    // (its point keeps its tooltip and stays clickable). So labels never overlap.
    const byZ = rows.slice().sort((p, q) => q.z - p.z);
    const top = byZ.slice(0, 8).filter((r) => r.z > 0), bottom = byZ.slice(-8).filter((r) => r.z < 0).reverse();
    const named = [];
    for (let i = 0; i < Math.max(top.length, bottom.length); i++) {
      if (i < top.length) named.push(top[i]);
      if (i < bottom.length) named.push(bottom[i]);
    }
    const labels = s("g", { class: "labels" });
    const ruler = document.createElement("canvas").getContext("2d");
    ruler.font = `11px ${getComputedStyle(document.body).fontFamily}`;
    const dots = named.map((r) => [X(xv(r)), Y(yv(r))]);
    const placed = [];
    const meets = (a, b) => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
    for (const r of named) {
      const term = T.terms[r.t], w = ruler.measureText(term).width + 2, px = X(xv(r)), py = Y(yv(r));
      const places = [[px + 5, py - 4], [px + 5, py + 12], [px - 5 - w, py - 4], [px - 5 - w, py + 12],
        [px - w / 2, py - 7], [px - w / 2, py + 17]];
      for (const [x, y] of places) {
        const box = [x, y - 10, x + w, y + 3];  // baseline at y: 10 above, 3 below for descenders
        if (box[0] < L || box[2] > W - R || box[1] < TOP || box[3] > H - B) continue;
        if (placed.some((b) => meets(b, box))) continue;
        if (dots.some(([dx, dy]) => meets([dx - 3.5, dy - 3.5, dx + 3.5, dy + 3.5], box))) continue;
        placed.push(box);
        labels.append(s("text", { x: x.toFixed(1), y: y.toFixed(1), text: term, "data-term": r.t }));
        break;
      }
    }
    svg.append(labels);
    if (explorer.selected >= 0) {
      const r = rows.find((row) => row.t === explorer.selected);
      if (r) svg.append(s("circle", { cx: X(xv(r)), cy: Y(yv(r)), r: 8, fill: "none", stroke: "#000", "stroke-width": 2,
        id: "selected-ring" }));
    }
    box.append(svg);
  }

  const COLUMNS = [["term", "term"], ["na", "n A"], ["nb", "n B"], ["ra", "per 1,000 A"], ["rb", "per 1,000 B"],
    ["z", "z (log-odds)"], ["lr", "log ratio"]];
  function sortedRows() {
    const T = termsData();
    const key = explorer.key, sign = explorer.desc ? -1 : 1;
    return explorer.rows.slice().sort((p, q) => {
      const a = key === "term" ? T.terms[p.t] : p[key], b = key === "term" ? T.terms[q.t] : q[key];
      if (a < b) return -sign;
      if (a > b) return sign;
      return T.terms[p.t] < T.terms[q.t] ? -1 : T.terms[p.t] > T.terms[q.t] ? 1 : 0;
    });
  }
  const SHOWN_ROWS = 300;
  function drawTable() {
    const T = termsData();
    const box = explorer.nodes.table;
    clear(box);
    const query = explorer.query;
    const rows = sortedRows().filter((r) => !query || T.terms[r.t].toLowerCase().includes(query));
    explorer.nodes.tableNote.textContent = `${T.outlets[explorer.a]} (A) against ${sideName(explorer.b)} (B): ` +
      `${int(rows.length)} terms${query ? " matching the search" : ""}, ${rows.length > SHOWN_ROWS ? "the first " + SHOWN_ROWS + " shown" : "all shown"}; ` +
      "click a column to sort, a row to read the term in context. The download holds every kept term.";
    const head = h("tr", null, COLUMNS.map(([key, label]) => h("th", {
      class: "sortable" + (key === "term" ? "" : " num"), "data-key": key,
      "aria-sort": explorer.key === key ? (explorer.desc ? "descending" : "ascending") : null,
      text: label, onclick: () => {
        if (explorer.key === key) explorer.desc = !explorer.desc; else { explorer.key = key; explorer.desc = key !== "term"; }
        drawTable();
      } })));
    const body = h("tbody");
    for (const r of rows.slice(0, SHOWN_ROWS)) {
      body.append(h("tr", { class: "clickable" + (r.t === explorer.selected ? " selected" : ""), "data-term": r.t,
        onclick: () => selectTerm(r.t) }, [
        h("td", { text: T.terms[r.t] }), h("td", { class: "num", text: int(r.na) }), h("td", { class: "num", text: int(r.nb) }),
        h("td", { class: "num", text: num(r.ra, 3) }), h("td", { class: "num", text: num(r.rb, 3) }),
        h("td", { class: "num", text: num(r.z, 2) }), h("td", { class: "num", text: num(r.lr, 2) })]));
    }
    box.append(h("table", { class: "data" }, [h("thead", null, head), body]));
  }
  function saveTable() {
    const T = termsData();
    const target = T.outlets[explorer.a], reference = sideName(explorer.b);
    const rows = sortedRows().map((r) => [T.terms[r.t], r.na, r.nb, r.ra, r.rb, r.z, r.lr, target, reference,
      explorer.prior]);
    download(`keyness_${fileName(target)}_vs_${fileName(reference)}.csv`, toCSV(["term", "n_target", "n_reference",
      "rate_target", "rate_reference", "statistic", "effect_size", "target", "reference", "prior"], rows));
  }

  function selectTerm(t) {
    explorer.selected = t;
    drawScatter();
    drawTable();
    drawKwic();
  }

  function drawKwic() {
    const T = termsData();
    const box = explorer.nodes.kwic;
    clear(box);
    const t = explorer.selected;
    if (t < 0) {
      box.append(h("h3", { text: "Keyword in context" }), note("Click a point or a row to read the term in its articles."));
      return;
    }
    const term = T.terms[t];
    box.append(h("h3", { id: "kwic-term", text: term }));
    if (!T._kwic.has(t)) {
      box.append(note(`No KWIC lines are embedded for this term: only the ${int(T.kwic_terms.length)} terms first in line ` +
        "(the typical terms of each group, then the most frequent) carry them. python -m analysis kwic finds every occurrence."));
      return;
    }
    const lines = T._lines.get(t) || [];
    const order = [explorer.a].concat(explorer.b >= 0 ? [explorer.b] : [],
      T.outlets.map((_, i) => i).filter((i) => i !== explorer.a && i !== explorer.b));
    for (const o of order) {
      const n = T.counts[o][t];
      if (!n) continue;
      const mine = lines.filter((line) => line[1] === o);
      const left = n - mine.length;
      box.append(h("h4", { class: "kwic-outlet", "data-outlet": o }, [chip(T.outlets[o]), T.outlets[o],
        h("span", { class: "small", text: ` — ${int(n)} occurrences, ${int(mine.length)} shown` +
          (left > 0 ? `, ${int(left)} left out` : "") }) ]));
      if (!mine.length) continue;
      box.append(h("table", null, h("tbody", null, mine.map((line) => {
        const [, , article, start, end, leftText, match, rightText] = line;
        const info = T.articles[article];
        return h("tr", { class: "kwic-line" }, [h("td", { class: "left", text: leftText }), h("td", { class: "match", text: match }),
          h("td", { class: "right", text: rightText }),
          h("td", null, h("a", { href: `#article/${article}/${start}/${end}`, title: info[2] || info[0], text: "article" }))]);
      }))));
    }
    box.append(note(`Context: ${T.window} words on each side, from the cleaned text. Occurrences are counted as ${T.by}s.`));
  }

  function showArticle(index, start, end) {
    const T = termsData();
    const info = T && T.articles[index];
    const root = sections.article;
    for (const name of Object.keys(sections)) sections[name].hidden = name !== "article";
    for (const name of Object.keys(buttons)) buttons[name].setAttribute("aria-selected", "false");
    clear(root);
    root.append(h("button", { class: "action", id: "back", text: "← back", onclick: () => history.back() }));
    if (!info) { root.append(note("No such article in this page.")); return; }
    const [doc, outlet, title, date, text] = info;
    const a = Math.max(0, Math.min(text.length, start | 0)), b = Math.max(a, Math.min(text.length, end | 0));
    const mark = h("mark", { id: "match", text: text.slice(a, b) });
    root.append(h("div", { class: "article" }, [
      h("h2", { id: "article-title", text: title || "(no title)" }),
      h("p", { class: "note" }, [chip(T.outlets[outlet]), T.outlets[outlet], ` · ${date || "no date"} · ${doc}`]),
      h("div", { class: "text", id: "article-text" }, [text.slice(0, a), mark, text.slice(b)])]));
    mark.scrollIntoView({ block: "center" });
  }

  // ---- actor labels
  function labelsPage(root) {
    const L = data("labels");
    root.append(h("h2", { text: "Actor labels: who is called what" }));
    const rules = Object.keys(L.rules).map((k) => `${k} ${int(L.rules[k])}`).join(", ");
    root.append(note(`${int(L.attributions)} label occurrences attributed to a person (${rules || "none"}); ` +
      `${int(L.unattributed)} could not be attributed (python -m analysis labels lists them). Shares are of all labels of the ` +
      `person in that ${L.group}, with 95 % Wilson intervals (optimistic: labels in one article are not independent).`));
    if (!L.shares) { root.append(note("No label of the label lexicon was attributed to a person of the registry.")); return; }
    const S = L.shares;
    const gi = column(S, L.group), pi = column(S, "person"), li = column(S, "label"), ni = column(S, "n"),
      si = column(S, "share"), lo = column(S, "ci_low"), hi = column(S, "ci_high"), np = column(S, "n_person");
    const pick = h("select", { id: "person", onchange: () => draw() }, L.persons.map((p) => h("option", { value: p, text: p })));
    root.append(h("div", { class: "controls" }, [h("label", null, ["person", pick])]));
    if (L.persons_left_out) root.append(note(`${int(L.persons_left_out)} persons with fewer labels are left out.`));
    const box = h("div"), detail = h("div", { id: "label-evidence" });
    root.append(box, detail);
    function draw() {
      clear(box); clear(detail);
      const person = pick.value;
      const rows = S.rows.filter((r) => r[pi] === person);
      const outlets = Array.from(new Set(rows.map((r) => r[gi]))).sort();
      const totals = {};
      for (const r of rows) totals[r[li]] = (totals[r[li]] || 0) + r[ni];
      const labels = Object.keys(totals).sort((x, y) => totals[y] - totals[x] || (x < y ? -1 : 1));
      const byCell = new Map(rows.map((r) => [r[gi] + "\t" + r[li], r]));
      const head = h("tr", null, [h("th", { text: "label" })].concat(outlets.map((o) => h("th", null, [chip(o), o]))));
      const body = labels.map((label) => h("tr", null, [h("td", { text: label })].concat(outlets.map((o) => {
        const r = byCell.get(o + "\t" + label);
        if (!r) return h("td", { class: "num", text: "–" });
        const td = h("td", { class: "num cell", title: `${r[ni]} of ${r[np]} labels of ${person} in ${o}`,
          onclick: () => {
            for (const x of box.querySelectorAll("td.chosen")) x.classList.remove("chosen");
            td.classList.add("chosen");
            clear(detail);
            detail.append(h("h3", { text: `${o}: ${person} called „${label}“` }),
              evidenceList(L.cells[o + "\t" + person + "\t" + label]));
          } }, [pct(r[si]), h("div", { class: "small", text: `${pct(r[lo])}–${pct(r[hi])} · n=${r[ni]}` })]);
        return td;
      }))));
      box.append(h("table", { class: "data", id: "label-table" }, [h("thead", null, head), h("tbody", null, body)]));
      detail.append(note("Click a cell for the sentences behind it."));
    }
    draw();
  }

  // ---- frames
  function framesPage(root) {
    const F = data("frames");
    root.append(h("h2", { text: "Frames" }));
    root.append(note(`Matches of the categories of the dictionary '${F.dictionary}' per 1,000 running words (count in ` +
      "brackets). A dictionary is a starting point, not a validated instrument: read the matches before citing a rate."));
    const R = F.rates;
    const gi = column(R, F.group), ci = column(R, "category"), ni = column(R, "n"), ri = column(R, "rate");
    const outlets = Array.from(new Set(R.rows.map((r) => r[gi]))).sort();
    const categories = Array.from(new Set(R.rows.map((r) => r[ci])));
    const byCell = new Map(R.rows.map((r) => [r[gi] + "\t" + r[ci], r]));
    const detail = h("div", { id: "frame-evidence" });
    const head = h("tr", null, [h("th", { text: "category" })].concat(outlets.map((o) => h("th", null, [chip(o), o]))));
    const body = categories.map((cat) => h("tr", null, [h("td", { text: cat })].concat(outlets.map((o) => {
      const r = byCell.get(o + "\t" + cat);
      if (!r) return h("td", { class: "num", text: "–" });
      return h("td", { class: "num cell", text: `${num(r[ri], 2)} (${int(r[ni])})`, onclick: () => {
        clear(detail);
        detail.append(h("h3", { text: `${o}: ${cat}` }), evidenceList(F.cells[o + "\t" + cat]));
      } });
    }))));
    root.append(h("table", { class: "data", id: "frame-table" }, [h("thead", null, head), h("tbody", null, body)]), detail);
  }

  // ---- quotations and sources
  function quotesPage(root) {
    const Q = data("quotes");
    root.append(h("h2", { text: "Quotations" }));
    root.append(note("Quoted spans per group: attributed (a reporting verb, 'laut', 'so X' or a colon governs the quote), " +
      "distancing (one to three words without such a cue: scare quotes), title (a quoted name or title), unclear. " +
      "Count (share of the group's quotes); click a cell for examples with cue and speaker."));
    const S = Q.summary;
    const gi = column(S, Q.group), ki = column(S, "kind"), ci = column(S, "count"), si = column(S, "share");
    const outlets = Array.from(new Set(S.rows.map((r) => r[gi]))).sort();
    const kinds = Array.from(new Set(S.rows.map((r) => r[ki])));
    const byCell = new Map(S.rows.map((r) => [r[gi] + "\t" + r[ki], r]));
    const detail = h("div", { id: "quote-evidence" });
    const head = h("tr", null, [h("th", { text: Q.group })].concat(kinds.map((k) => h("th", { class: "num", text: k }))));
    const body = outlets.map((o) => h("tr", null, [h("td", null, [chip(o), o])].concat(kinds.map((k) => {
      const r = byCell.get(o + "\t" + k);
      if (!r) return h("td", { class: "num", text: "–" });
      return h("td", { class: "num cell", text: `${int(r[ci])} (${pct(r[si])})`, onclick: () => {
        clear(detail);
        const cell = Q.cells[o + "\t" + k];
        const who = cell && cell.who ? cell.who.map(([cue, speaker]) => [cue && "cue: " + cue, speaker && "speaker: " + speaker]
          .filter(Boolean).join(", ")) : null;
        detail.append(h("h3", { text: `${o}: ${k} quotations` }), evidenceList(cell, who));
      } });
    }))));
    root.append(h("table", { class: "data", id: "quote-table" }, [h("thead", null, head), h("tbody", null, body)]), detail);
    const X = data("sources");
    root.append(h("h2", { text: "Sources: agencies and media named" }));
    root.append(note("Named in the text, in a closing credit line, or in a photo credit (removed by cleaning, read from the " +
      "cleaning audit). Photo credits say where pictures came from, not whom the text cites." +
      (X.sources_never_named ? ` ${int(X.sources_never_named)} sources of the list are named nowhere and left out.` : "")));
    const T = X.summary;
    if (!T.rows.length) { root.append(note("No agency or medium of the source list is named in the corpus.")); return; }
    const g2 = column(T, X.group), so = column(T, "source"), cx = column(T, "context"), n2 = column(T, "count");
    const outlets2 = Array.from(new Set(T.rows.map((r) => r[g2]))).sort();
    const keys = Array.from(new Set(T.rows.map((r) => r[so] + "\t" + r[cx])));
    const cells = new Map(T.rows.map((r) => [r[so] + "\t" + r[cx] + "\t" + r[g2], r[n2]]));
    const head2 = h("tr", null, [h("th", { text: "source" }), h("th", { text: "where" })]
      .concat(outlets2.map((o) => h("th", { class: "num" }, [chip(o), o]))));
    const body2 = keys.map((key) => {
      const [source, where] = key.split("\t");
      return h("tr", null, [h("td", { text: source }), h("td", { text: where })]
        .concat(outlets2.map((o) => h("td", { class: "num", text: int(cells.get(key + "\t" + o) || 0) }))));
    });
    root.append(h("table", { class: "data", id: "source-table" }, [h("thead", null, head2), h("tbody", null, body2)]));
  }

  // ---- sentiment
  function sentimentPage(root) {
    const S = data("sentiment");
    root.append(h("h2", { text: "Sentiment per " + S.group }));
    if (!S.outlets) { root.append(note("The sentiment figures were not drawn for this corpus (see Figures).")); return; }
    const O = S.outlets;
    const gi = column(O, S.group), mi = column(O, "mean"), lo = column(O, "ci_low"), hi = column(O, "ci_high"), ni = column(O, "n");
    root.append(note("Mean sentence sentiment with 95 % bootstrap intervals (the caption of the figure sentiment_outlets says " +
      "how the sentences were scored and how the intervals were drawn)."));
    root.append(intervalPlot(O.rows.map((r) => ({ name: r[gi], mean: r[mi], lo: r[lo], hi: r[hi], n: r[ni] }))));
    root.append(recordsTable(O));
    if (S.words) {
      const W = S.words;
      const wg = column(W, S.group), we = column(W, "entry"), wc = column(W, "contribution"), wn = column(W, "n");
      root.append(h("h3", { text: "The words behind it" }));
      root.append(note("The lexicon words adding most to each group's sentiment, in both directions (sum of contributions " +
        "after negation and intensifiers; n: occurrences)."));
      const outlets = Array.from(new Set(W.rows.map((r) => r[wg]))).sort();
      const head = h("tr", null, [h("th", { text: S.group }), h("th", { class: "pos", text: "positive" }),
        h("th", { class: "neg", text: "negative" })]);
      const body = outlets.map((o) => {
        const mine = W.rows.filter((r) => r[wg] === o);
        const side = (sign) => mine.filter((r) => sign * r[wc] > 0).sort((p, q) => sign * (q[wc] - p[wc]))
          .map((r) => `${r[we]} (${num(r[wc], 1)}, n=${r[wn]})`).join(", ");
        return h("tr", null, [h("td", null, [chip(o), o]), h("td", { text: side(1) }), h("td", { text: side(-1) })]);
      });
      root.append(h("table", { class: "data", id: "sentiment-words" }, [h("thead", null, head), h("tbody", null, body)]));
    }
    if (!S.persons) return;
    const P = S.persons;
    const pg = column(P, S.group), pp = column(P, "person"), pm = column(P, "mean"), pl = column(P, "ci_low"),
      ph = column(P, "ci_high"), pn = column(P, "n");
    root.append(h("h3", { text: "Toward persons" }));
    root.append(note("Mean sentiment of the sentences mentioning each person (a sentence's score is not necessarily directed " +
      "at the person). Click a cell for the most negative and most positive sentences and the words scored in them."));
    const persons = Array.from(new Set(P.rows.map((r) => r[pp])));
    const outlets = Array.from(new Set(P.rows.map((r) => r[pg]))).sort();
    const byCell = new Map(P.rows.map((r) => [r[pg] + "\t" + r[pp], r]));
    const detail = h("div", { id: "sentiment-evidence" });
    const head = h("tr", null, [h("th", { text: "person" })].concat(outlets.map((o) => h("th", { class: "num" }, [chip(o), o]))));
    const body = persons.map((person) => h("tr", null, [h("td", { text: person })].concat(outlets.map((o) => {
      const r = byCell.get(o + "\t" + person);
      if (!r) return h("td", { class: "num", text: "–" });
      return h("td", { class: "num cell", onclick: () => {
        clear(detail);
        detail.append(h("h3", { text: `${o}: sentences mentioning ${person}` }), sentimentEvidence(S.cells[o + "\t" + person]));
      } }, [num(r[pm], 3), h("div", { class: "small", text: `${num(r[pl], 2)} to ${num(r[ph], 2)} · n=${int(r[pn])}` })]);
    }))));
    root.append(h("table", { class: "data", id: "sentiment-persons" }, [h("thead", null, head), h("tbody", null, body)]), detail);
  }
  function sentimentEvidence(cell) {
    if (!cell) return note("No sentence is embedded for this cell.");
    const list = h("ul", { class: "evidence" }, cell.items.map((item) => h("li", null, [
      h("b", { class: item.score >= 0 ? "pos" : "neg", text: num(item.score, 2) + " " }), item.sentence,
      h("div", { class: "small", text: (item.words.length ? "words: " + item.words.map(([w, c]) => `${w} (${c > 0 ? "+" : ""}${num(c, 2)})`).join(", ")
        : "no lexicon word") + " — " + item.doc_id })])));
    return h("div", null, [list, note(`${int(cell.items.length)} of ${int(cell.n)} sentences shown.`)]);
  }
  function intervalPlot(items) {
    const W = 640, rowH = 24, L = 190, R = 20, TOP = 10, B = 30, H = TOP + B + rowH * items.length;
    let lo = 0, hi = 0;
    for (const it of items) { lo = Math.min(lo, it.lo ?? it.mean); hi = Math.max(hi, it.hi ?? it.mean); }
    const pad = (hi - lo) * 0.05 || 0.1;
    lo -= pad; hi += pad;
    const X = (v) => L + (v - lo) / (hi - lo) * (W - L - R);
    const svg = s("svg", { class: "intervals", viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "mean sentiment per group" });
    svg.append(s("line", { x1: X(0), x2: X(0), y1: TOP, y2: H - B, stroke: "#999", "stroke-dasharray": "3 3" }));
    items.forEach((it, i) => {
      const y = TOP + rowH * i + rowH / 2;
      svg.append(s("text", { x: L - 8, y: y + 4, "text-anchor": "end", text: it.name }));
      if (it.lo !== null && it.hi !== null) svg.append(s("line", { x1: X(it.lo), x2: X(it.hi), y1: y, y2: y, stroke: outletColor(it.name), "stroke-width": 2 }));
      svg.append(s("circle", { cx: X(it.mean), cy: y, r: 4.5, fill: outletColor(it.name) },
        s("title", { text: `${it.name}: ${num(it.mean, 3)} (${num(it.lo, 3)} to ${num(it.hi, 3)}), n=${int(it.n)}` })));
    });
    for (const v of [lo + pad, 0, hi - pad]) {
      svg.append(s("text", { x: X(v), y: H - 10, "text-anchor": "middle", class: "axis", text: num(v, 2) }));
    }
    return svg;
  }

  // ---- figures
  function figuresPage(root) {
    const F = data("figures");
    root.append(h("h2", { text: "Figures" }));
    root.append(note(`Every figure of python -m analysis figures for this corpus (${F.figures.length} drawn), with its caption ` +
      "and the table behind it. The images are narrowed for the screen; the command writes them at 300 dpi as PNG, SVG and PDF."));
    for (const fig of F.figures) {
      const table = fig.table;
      const shown = h("div", { hidden: "hidden" });
      const toggle = h("button", { class: "action", text: "Show data", onclick: () => {
        if (!shown.firstChild) shown.append(recordsTable({ columns: table.columns, rows: table.rows.slice(0, 50) }));
        shown.hidden = !shown.hidden;
        toggle.textContent = shown.hidden ? "Show data" : "Hide data";
      } });
      const save = h("button", { class: "action", text: `Download ${table.file}`, "data-figure": fig.id,
        onclick: () => download(table.file, toCSV(table.columns, table.rows)) });
      root.append(h("div", { class: "figure", id: "figure-" + fig.id }, [
        h("h3", { text: fig.id }), h("p", { class: "small", text: fig.description }),
        h("img", { src: fig.image, alt: fig.description || fig.id, loading: "lazy" }),
        h("p", { class: "caption", text: fig.caption }),
        h("div", { class: "controls" }, [save, toggle,
          h("span", { class: "small", text: table.rows.length < table.count
            ? `${int(table.rows.length)} of ${int(table.count)} rows embedded (python -m analysis figures writes the whole table)`
            : `${int(table.count)} rows` })]), shown]));
    }
    if (F.skipped.length) {
      root.append(h("h3", { text: "Not drawn for this corpus" }));
      root.append(h("ul", null, F.skipped.map(([id, why]) => h("li", { text: `${id}: ${why}` }))));
    }
  }

  const RENDER = { overview: overviewPage, terms: termsPage, labels: labelsPage, frames: framesPage, quotes: quotesPage,
    sentiment: sentimentPage, figures: figuresPage };

  function show(name) {
    for (const key of Object.keys(sections)) sections[key].hidden = key !== name;
    for (const key of Object.keys(buttons)) buttons[key].setAttribute("aria-selected", key === name ? "true" : "false");
    if (!rendered[name]) {
      rendered[name] = true;
      RENDER[name](sections[name]);
    }
  }
  function route() {
    const parts = location.hash.replace(/^#/, "").split("/");
    if (parts[0] === "article") { show("terms"); showArticle(+parts[1], +parts[2], +parts[3]); return; }
    show(RENDER[parts[0]] ? parts[0] : "overview");
  }

  function setup() {
    const meta = data("meta");
    const overview = data("overview");
    document.getElementById("title").textContent = meta.title;
    document.getElementById("subtitle").textContent = `${int(overview.corpus.articles)} articles, ` +
      `${int(overview.outlets.rows.length)} ${meta.group}s · python -m analysis report ${meta.version} · ` +
      "works offline: nothing in this page is loaded from the network";
    const nav = document.getElementById("tabs");
    const main = document.getElementById("main");
    clear(main);
    for (const [name, label] of TABS) {
      buttons[name] = h("button", { id: "tab-" + name, role: "tab", "aria-selected": "false", text: label,
        onclick: () => { if (location.hash === "#" + name) route(); else location.hash = name; } });
      nav.append(buttons[name]);
      sections[name] = h("section", { id: "page-" + name, hidden: "hidden" });
      main.append(sections[name]);
    }
    sections.article = h("section", { id: "page-article", hidden: "hidden" });
    main.append(sections.article);
    window.addEventListener("hashchange", route);
    route();
    // How long the first page took from the start of navigation, for the tests and the benchmark.
    document.body.setAttribute("data-render-ms", String(Math.round(performance.now())));
    document.body.setAttribute("data-ready", "true");
  }

  /** For tests and for reuse in the console: keyness of outlet a against outlet b (null: the rest). */
  window.FramingReport = {
    keyness: function (a, b, prior) {
      const T = termsData();
      const ai = T.outlets.indexOf(a), bi = b === null || b === undefined ? -1 : T.outlets.indexOf(b);
      if (ai < 0 || (b !== null && b !== undefined && bi < 0)) throw new Error("unknown outlet");
      return keynessRows(T, ai, bi, prior || "pooled").map((r) => ({ term: T.terms[r.t], n_target: r.na,
        n_reference: r.nb, statistic: r.z, effect_size: r.lr }));
    },
    downloads: downloads,
    state: explorer,
  };

  setup();
})();
