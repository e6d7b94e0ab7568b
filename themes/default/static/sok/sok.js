/* saksgang: search in the browser, on the web and from disk (file://).
 *
 * The index is made by saksgang (src/render/search.rs) as plain scripts, since a
 * browser refuses fetch() on file:// but runs <script src>: sok/indeks.js sets
 * window.saksgangSok; sok/t/<xx>.js holds the terms beginning with xx, each with
 * its records; sok/d/<n>.js holds 64 records (title, address, date line, text).
 * A query is cut into terms by the same rules as the index (keep them equal to
 * Tokenizer in search.rs): lower case, item numbers (04/2017 → 4/2017) and dates
 * (23.02.2017 → 2017-02-23) as terms, other words without stop words, stemmed
 * by lunr.no (Snowball, as rust-stemmers) and folded (æ ä å → a, ø ö → o, then
 * ae → a, oe → o, aa → a). Every term must match; the last word also matches
 * as the beginning of a word, so results come while typing.
 * Results are built with DOM calls and textContent only: no HTML from data. */
(function () {
  "use strict";
  var SPECIAL = /(^|[^\p{Alphabetic}\p{N}])(?:(\d{1,3}) ?\/ ?(\d{4}|\d{2})|(\d{1,2})\.(\d{1,2})\.(\d{4}))(?=$|[^\p{Alphabetic}\p{N}])/gu;
  var WORD = /[\p{Alphabetic}\p{N}]+/gu;

  /* The terms of a text, in order: what saksgang's Tokenizer::terms gives for
     it. tests/it/terms.rs compares the two on every text of the archive. */
  window.saksgangSokTermer = function (text) {
    return pieces(text).map(function (p) { return p.term; }).filter(function (t) { return t; });
  };
  if (typeof document === "undefined") return;

  var S = window.saksgangSok;
  var form = document.getElementById("sok-skjema");
  if (!S || !form || !window.lunr || !lunr.no) return;

  var root = document.getElementById("sok");
  var input = document.getElementById("sok-q");
  var organSelect = document.getElementById("sok-organ");
  var yearSelect = document.getElementById("sok-ar");
  var typeSelect = document.getElementById("sok-type");
  var status = document.getElementById("sok-status");
  var list = document.getElementById("sok-treff");
  var more = document.getElementById("sok-flere");
  var base = document.querySelector('script[src$="sok/indeks.js"]').getAttribute("src").replace(/sok\/indeks\.js$/, "");
  var PAGE = 20;
  var KIND = { m: "Møte", s: "Sak", t: "Saksgang", k: "Kommune" };


  function fold(stem) {
    var s = stem.replace(/[æäåáà]/g, "a").replace(/[øöóò]/g, "o").replace(/[éèê]/g, "e").replace(/ü/g, "u");
    return s.replace(/ae/g, "a").replace(/oe/g, "o").replace(/aa/g, "a");
  }
  function stemWord(word) {
    if (lunr.no.stopWordFilter(word) === undefined) return null;
    if (/^\d+$/.test(word) && word.length < 4) return null;
    return fold(String(lunr.no.stemmer(word)));
  }
  function itemTerm(n, y) {
    n = n.replace(/^0+/, "");
    return n ? n + "/" + y : null;
  }
  function dateTerm(d, m, y) {
    var dd = parseInt(d, 10), mm = parseInt(m, 10), yy = parseInt(y, 10);
    var date = new Date(Date.UTC(yy, mm - 1, dd));
    if (date.getUTCFullYear() !== yy || date.getUTCMonth() !== mm - 1 || date.getUTCDate() !== dd) return null;
    return y + "-" + (mm < 10 ? "0" : "") + mm + "-" + (dd < 10 ? "0" : "") + dd;
  }
  /* Pieces of text: {start, end, term, word} for every word and special term. */
  function pieces(text) {
    var lower = text.normalize("NFC").toLowerCase();
    var out = [];
    var from = 0;
    function words(upTo) {
      WORD.lastIndex = from;
      var w;
      while ((w = WORD.exec(lower)) && w.index < upTo) {
        if (w.index + w[0].length > upTo) break;
        out.push({ start: w.index, end: w.index + w[0].length, word: w[0], term: stemWord(w[0]) });
      }
    }
    SPECIAL.lastIndex = 0;
    var m;
    while ((m = SPECIAL.exec(lower))) {
      var start = m.index + m[1].length;
      words(start);
      var term = m[2] ? itemTerm(m[2], m[3]) : dateTerm(m[4], m[5], m[6]);
      out.push({ start: start, end: m.index + m[0].length, word: m[0].slice(m[1].length), term: term });
      from = m.index + m[0].length;
      SPECIAL.lastIndex = from;
    }
    words(lower.length);
    return out;
  }

  /* Loading index files with <script>, once each. */
  function load(name) {
    if (S.filer[name]) return Promise.resolve(S.filer[name]);
    return new Promise(function (resolve) {
      var waiting = S.venter[name];
      if (waiting) { waiting.push(resolve); return; }
      S.venter[name] = [resolve];
      var script = document.createElement("script");
      script.src = base + "sok/" + name + ".js";
      script.charset = "utf-8";
      script.onerror = function () { S.inn(name, null); };
      document.head.appendChild(script);
    });
  }
  function shardOf(term) {
    var key = "";
    for (var i = 0; i < 2; i++) {
      var c = term.charAt(i);
      key += /[a-z0-9]/.test(c) ? c : "_";
    }
    return key;
  }
  function decode(list) {
    var out = new Map();
    var id = 0;
    for (var i = 0; i < list.length; i++) {
      id += list[i] >> 1;
      out.set(id, (out.get(id) || 0) | (list[i] & 1));
    }
    return out;
  }

  /* Records matching one query term: exact, and for the last word as a prefix. */
  function matches(piece, prefix) {
    var keys = [shardOf(piece.term)];
    var start = prefix ? fold(piece.word) : null;
    if (start && shardOf(start) !== keys[0]) keys.push(shardOf(start));
    return Promise.all(keys.map(function (k) { return load("t/" + k); })).then(function (shards) {
      var found = new Map();
      shards.forEach(function (shard) {
        if (!shard) return;
        Object.keys(shard).forEach(function (t) {
          if (t === piece.term || (start && start.length >= 3 && t.lastIndexOf(start, 0) === 0)) {
            decode(shard[t]).forEach(function (title, id) { found.set(id, (found.get(id) || 0) | title); });
          }
        });
      });
      return found;
    });
  }

  function yearRange(year) {
    for (var i = 0; i < S.ar.length; i++) {
      if (S.ar[i][0] === year) return [S.ar[i][1], i + 1 < S.ar.length ? S.ar[i + 1][1] : S.antall];
    }
    return [0, 0];
  }

  var current = 0;
  var results = [];
  var shown = 0;
  var queryPieces = [];

  function search() {
    var q = input.value.trim();
    var ticket = ++current;
    root.setAttribute("data-ferdig", "nei");
    list.textContent = "";
    more.hidden = true;
    if (!q) {
      status.textContent = "";
      root.setAttribute("data-ferdig", "ja");
      return;
    }
    queryPieces = pieces(q).filter(function (p) { return p.term; });
    if (!queryPieces.length) {
      status.textContent = "Skriv et ord som ikke er et av de vanligste småordene (som «og», «i», «på»).";
      root.setAttribute("data-ferdig", "ja");
      return;
    }
    var typing = !/\s$/.test(input.value);
    status.textContent = "Søker …";
    Promise.all(queryPieces.map(function (p, i) {
      return matches(p, typing && i === queryPieces.length - 1 && !/[\d.\/]/.test(p.word));
    })).then(function (sets) {
      if (ticket !== current) return;
      var organ = S.organer.indexOf(organSelect.value);
      var year = yearSelect.value ? yearRange(parseInt(yearSelect.value, 10)) : null;
      var type = typeSelect.value;
      var scored = [];
      sets[0].forEach(function (title, id) {
        if (organ >= 0 && S.organ.charCodeAt(id) - 48 !== organ) return;
        if (year && (id < year[0] || id >= year[1])) return;
        if (type && S.typer.charAt(id) !== type) return;
        var score = 0, inTitle = false;
        for (var i = 0; i < sets.length; i++) {
          var t = sets[i].get(id);
          if (t === undefined) return;
          inTitle = inTitle || t === 1;
          score += (1 + 2 * t) * Math.log(1 + S.antall / sets[i].size);
        }
        // A thread or a municipality named in the query is the overview of the
        // matter: first among equals.
        var kind = S.typer.charAt(id);
        if (inTitle && (kind === "t" || kind === "k")) score *= 1.25;
        scored.push([score, id]);
      });
      scored.sort(function (a, b) { return b[0] - a[0] || b[1] - a[1]; });
      results = scored.map(function (s) { return s[1]; });
      shown = 0;
      status.textContent = results.length === 0
        ? "Ingen treff på «" + q + "»."
        : (results.length === 1 ? "1 treff" : results.length + " treff") + " på «" + q + "».";
      return showMore(ticket);
    });
  }

  /* A record file lists [title, address, date line, text]; an address that is
     only "#anchor" is on the page of the record before, and a date line 0 is
     that of the record before. Expanded once, when the file arrives. */
  function expand(file) {
    if (!file || file.expanded) return file;
    var page = "", meta = "";
    file.forEach(function (r) {
      if (r[1].charAt(0) === "#") r[1] = page + r[1];
      else page = r[1].split("#")[0];
      if (r[2] === 0) r[2] = meta;
      else meta = r[2];
    });
    file.expanded = true;
    return file;
  }

  function showMore(ticket) {
    var batch = results.slice(shown, shown + PAGE);
    shown += batch.length;
    var files = {};
    batch.forEach(function (id) { files[Math.floor(id / S.perFil)] = true; });
    return Promise.all(Object.keys(files).map(function (n) { return load("d/" + n); })).then(function () {
      if (ticket !== current) return;
      batch.forEach(function (id) {
        var file = expand(S.filer["d/" + Math.floor(id / S.perFil)]);
        if (file) list.appendChild(result(id, file[id % S.perFil]));
      });
      more.hidden = shown >= results.length;
      root.setAttribute("data-ferdig", "ja");
    });
  }

  function isHit(p) {
    for (var i = 0; i < queryPieces.length; i++) {
      var q = queryPieces[i];
      if (p.term && (p.term === q.term || (q.word.length >= 3 && i === queryPieces.length - 1 && fold(p.word).lastIndexOf(fold(q.word), 0) === 0))) return true;
    }
    return false;
  }
  /* Text with the words that match marked; `around` cuts it to a window. */
  function marked(text, around) {
    var ps = pieces(text);
    var hits = ps.filter(isHit);
    var from = 0, to = text.length;
    if (around) {
      var first = hits.length ? hits[0].start : 0;
      from = Math.max(0, first - 90);
      to = Math.min(text.length, first + 160);
      while (from > 0 && /\S/.test(text.charAt(from - 1))) from--;
      while (to < text.length && /\S/.test(text.charAt(to))) to++;
    }
    var span = document.createDocumentFragment();
    if (from > 0) span.appendChild(document.createTextNode("… "));
    var at = from;
    hits.forEach(function (h) {
      if (h.start < from || h.end > to) return;
      span.appendChild(document.createTextNode(text.slice(at, h.start)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(h.start, h.end);
      span.appendChild(mark);
      at = h.end;
    });
    span.appendChild(document.createTextNode(text.slice(at, to)));
    if (to < text.length) span.appendChild(document.createTextNode(" …"));
    return span;
  }

  function result(id, record) {
    var li = document.createElement("li");
    var kind = document.createElement("span");
    kind.className = "sok-type";
    kind.textContent = KIND[S.typer.charAt(id)] || "";
    li.appendChild(kind);
    var a = document.createElement("a");
    a.className = "sok-tittel";
    a.href = base + record[1];
    a.appendChild(marked(record[0], false));
    li.appendChild(a);
    if (record[2]) {
      var meta = document.createElement("span");
      meta.className = "sok-meta";
      meta.textContent = record[2];
      li.appendChild(meta);
    }
    if (record[3]) {
      var p = document.createElement("p");
      p.className = "sok-utdrag";
      p.appendChild(marked(record[3].replace(/\s*\n\s*/g, " "), true));
      li.appendChild(p);
    }
    return li;
  }

  /* The form keeps working as a form (the address holds the query), and
     results also come while typing. */
  var params = new URLSearchParams(window.location.search);
  input.value = params.get("q") || "";
  [[organSelect, "organ"], [yearSelect, "ar"], [typeSelect, "type"]].forEach(function (f) {
    var v = params.get(f[1]);
    if (v && f[0].querySelector('option[value="' + CSS.escape(v) + '"]')) f[0].value = v;
  });
  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 150);
  });
  [organSelect, yearSelect, typeSelect].forEach(function (s) { s.addEventListener("change", search); });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(timer);
    search();
    try {
      var p = new URLSearchParams();
      p.set("q", input.value);
      if (organSelect.value) p.set("organ", organSelect.value);
      if (yearSelect.value) p.set("ar", yearSelect.value);
      if (typeSelect.value) p.set("type", typeSelect.value);
      history.replaceState(null, "", "?" + p.toString());
    } catch (err) { /* file:// may refuse; the results are shown anyway */ }
  });
  more.addEventListener("click", function () {
    var firstNew = shown;
    showMore(current).then(function () {
      var link = list.children[firstNew] && list.children[firstNew].querySelector("a");
      if (link) link.focus();
    });
  });
  // No focus() on load: the skip link stays the first Tab stop (WCAG 2.4.1,
  // 2.4.3), and a screen reader starts at the top of the page, as on every other.
  search();
})();
