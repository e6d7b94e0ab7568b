/* saksgang: search in the browser, on the web and from disk (file://).
 *
 * The index is made by saksgang (src/search.rs, which describes the files) as
 * plain scripts, since a browser refuses fetch() on file:// but runs
 * <script src>: sok/indeks.js sets window.saksgangSok and lists the keys of the
 * term files; sok/t/<key>.js holds the terms beginning with key, each with its
 * records or, for a common term, where they are (sok/p/<term>.<n>.js, in rank
 * order); sok/d/<n>.js holds records (title, address, date line, text).
 * A query is cut into terms by the same rules as the index (keep them equal to
 * Tokenizer in src/search/tokenize.rs): lower case, item numbers (04/2017 → 4/2017) and dates
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
  /* The term file a term is in: the longest key of S.deler it begins with. */
  var keys = {};
  S.deler.forEach(function (k) { keys[k] = true; });
  var large = {};
  S.store.forEach(function (t) { large[t] = true; });
  function keyOf(term) {
    var chars = Array.from(term);
    for (var n = chars.length; n >= 0; n--) {
      var k = chars.slice(0, n).join("");
      if (keys[k]) return k;
    }
    return null;
  }
  function fileKey(key) {
    if (!key) return "_";
    return Array.from(key).map(function (c) {
      return /[a-z0-9]/.test(c) ? c : "_" + c.codePointAt(0).toString(16) + "_";
    }).join("");
  }
  var DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  var FLAG = Math.pow(2, S.biter);
  /* Entries of a term: [id, flags] with flags = body+1 << 3 | kind << 1 | title. */
  function decode(text) {
    var out = [], id = 0, v = 0, mul = 1;
    for (var i = 0; i < text.length; i++) {
      var d = DIGITS.indexOf(text.charAt(i));
      if (d >= 32) { v += (d - 32) * mul; mul *= 32; continue; }
      v += d * mul;
      var flags = v % FLAG, z = Math.floor(v / FLAG);
      id += z % 2 ? -(z + 1) / 2 : z / 2;
      out.push([id, flags]);
      v = 0; mul = 1;
    }
    return out;
  }
  var KINDS = "mstk";
  /* Rank of an entry: title of a thread or municipality, title, rest. */
  function group(flags) {
    if (!(flags & 1)) return 2;
    var kind = (flags >> 1) & 3;
    return kind >= 2 ? 0 : 1;
  }

  /* A list: the records of one term, loaded a file at a time.
     {term, count, entries (loaded, rank order), files, next (files loaded),
      titleFiles, firsts (first record of each other file), loaded {n: entries}} */
  function listOf(term, value) {
    if (typeof value === "string") {
      var e = decode(value);
      return { term: term, count: e.length, entries: e, files: 0, next: 0, titleFiles: 0, firsts: [], loaded: {} };
    }
    return { term: term, count: value[0], entries: [], files: value[1] + value[2].length, next: 0,
      titleFiles: value[1], firsts: value[2], loaded: {} };
  }
  function loadFile(l, n) {
    if (l.loaded[n]) return Promise.resolve(l.loaded[n]);
    // Asked for again before it is in: decoded once.
    l.asked = l.asked || {};
    return l.asked[n] || (l.asked[n] = load("p/" + fileKey(l.term) + "." + n).then(function (text) {
      l.loaded[n] = text ? decode(text) : [];
      return l.loaded[n];
    }));
  }
  /* Loads the next file of a list, in rank order. */
  function loadNext(l) {
    var n = l.next++;
    return loadFile(l, n).then(function (e) { l.entries = l.entries.concat(e); });
  }
  /* Where the rest of a list can rank at best: [group, id]. */
  function bound(l) {
    if (l.next >= l.files) return null;
    if (l.next > 0 && l.entries.length) {
      // The files are in rank order: the rest ranks below the last entry read.
      var last = l.entries[l.entries.length - 1];
      return [group(last[1]), last[0]];
    }
    if (l.next < l.titleFiles) return [0, Infinity];
    return [2, l.firsts[l.next - l.titleFiles]];
  }
  function above(a, b) { return a[0] < b[0] || (a[0] === b[0] && a[1] > b[1]); }

  /* The lists of one query term: exact, and for the last word as a prefix. */
  function lists(piece, prefix) {
    var start = prefix ? fold(piece.word) : null;
    if (start && start.length < 3) start = null;
    var want = [keyOf(piece.term)];
    if (start) {
      var k = keyOf(start);
      if (want.indexOf(k) < 0) want.push(k);
    }
    want = want.filter(function (k) { return k !== null; });
    // A common term's first file is asked for with its term file, not after.
    if (large[piece.term]) load("p/" + fileKey(piece.term) + ".0");
    return Promise.all(want.map(function (k) { return load("t/" + fileKey(k)); })).then(function (shards) {
      var out = [], seen = {};
      shards.forEach(function (shard) {
        if (!shard) return;
        Object.keys(shard).forEach(function (t) {
          if (seen[t]) return;
          if (t === piece.term || (start && t.lastIndexOf(start, 0) === 0)) {
            seen[t] = true;
            out.push(listOf(t, shard[t]));
          }
        });
      });
      return out;
    });
  }

  function yearRange(year) {
    for (var i = 0; i < S.ar.length; i++) {
      if (S.ar[i][0] === year) return [S.ar[i][1], i + 1 < S.ar.length ? S.ar[i + 1][1] : S.antall];
    }
    return [0, 0];
  }
  function filter() {
    var organ = S.organer.indexOf(organSelect.value);
    var year = yearSelect.value ? yearRange(parseInt(yearSelect.value, 10)) : null;
    var type = typeSelect.value;
    var ok = function (id, flags) {
      if (organ >= 0 && (flags >> 3) - 1 !== organ) return false;
      if (year && (id < year[0] || id >= year[1])) return false;
      if (type && KINDS.charAt((flags >> 1) & 3) !== type) return false;
      return true;
    };
    // What several() can skip: ids outside the year, classes of another kind.
    if (year) { ok.top = year[1] - 1; ok.bottom = year[0]; }
    ok.kind = type ? KINDS.indexOf(type) : -1;
    return ok;
  }

  var current = 0;
  var results = [];
  var shown = 0;
  var queryPieces = [];
  /* How to find more results: a function that gives a promise of whether
     results now holds at least n, or everything. */
  var fill = null;
  var complete = true;

  /* One query term: its lists are merged in rank order; files are read
     until the first n results are certain. */
  function single(ls, ok) {
    var best = new Map();
    var counted = 0;
    function merge() {
      best = new Map();
      ls.forEach(function (l) {
        l.entries.forEach(function (e) {
          if (!ok(e[0], e[1])) return;
          var had = best.get(e[0]);
          if (had === undefined || group(e[1]) < group(had)) best.set(e[0], e[1]);
        });
      });
      var ranked = [];
      best.forEach(function (flags, id) { ranked.push([group(flags), id, flags]); });
      ranked.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
      return ranked;
    }
    return function (n) {
      function step() {
        var ranked = merge();
        var top = null, which = null;
        ls.forEach(function (l) {
          var b = bound(l);
          if (b && (!top || above(b, top))) { top = b; which = l; }
        });
        var sure = !which || (ranked.length >= n && !above(top, [ranked[n - 1][0], ranked[n - 1][1]]));
        if (sure) {
          results = ranked.map(function (r) { return [r[1], r[2]]; });
          complete = !which;
          counted = ls.length === 1 && !filtered() ? ls[0].count : null;
          return Promise.resolve(counted);
        }
        return loadNext(which).then(step);
      }
      return step();
    };
  }
  function filtered() { return !!(organSelect.value || yearSelect.value || typeSelect.value); }

  /* Several query terms: every one must match. A result's score depends only
     on which terms it has in its title and whether it is a thread or a
     municipality (its class), and each term's records of one rank group are
     in id order, newest first (the title files: group 0, then group 1; the
     other files: group 2, with the first record of each in `firsts`). So the
     classes are taken in order of score, and the records of a class, newest
     first, are found by going down all its terms' groups together (a
     leapfrog join), reading a file only where a term can hold the next one;
     classes of equal score are merged by id. The walk stops when the results
     asked for are there and going on would need a file: the rest waits for
     "Vis flere". The order is that of everything() (same scores, same ties). */
  var WAIT = {};
  /* A list with at most this many title files has them all asked for at once. */
  var AHEAD = 12;
  /* The first index of entries (newest first) at or below id. */
  function below(entries, id) {
    var lo = 0, hi = entries.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (entries[mid][0] <= id) hi = mid; else lo = mid + 1;
    }
    return lo;
  }
  /* The first index of entries in rank order (groups, each newest first) in
     group g at or below id, or past group g. */
  function at(entries, g, id) {
    var lo = 0, hi = entries.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1, gm = group(entries[mid][1]);
      if (gm > g || (gm === g && entries[mid][0] <= id)) hi = mid; else lo = mid + 1;
    }
    return lo;
  }
  /* The file of list l, among those after the title files, where its newest
     entry at or below id is or begins: the last that begins at or above id. */
  function fileOf(l, id) {
    var f = l.firsts, lo = 0, hi = f.length - 1, k = 0;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (f[mid] >= id) { k = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return k;
  }
  /* The newest entry at or below id in group g of list l: null if there is
     none, WAIT if finding it needs a file and may is false. */
  async function seek(l, g, id, may) {
    if (!l.files) {
      if (!l.groups) {
        l.groups = [[], [], []];
        l.entries.forEach(function (e) { l.groups[group(e[1])].push(e); });
        l.groups.forEach(function (es) { es.sort(function (a, b) { return b[0] - a[0]; }); });
      }
      var es = l.groups[g], i = below(es, id);
      return i < es.length ? es[i] : null;
    }
    if (g < 2) {
      // The title files have no firsts: they are read in order.
      for (;;) {
        var t = l.title || (l.title = []), lo = at(t, g, id);
        if (lo < t.length) return group(t[lo][1]) === g ? t[lo] : null;
        var n = l.titleRead || 0;
        if (n >= l.titleFiles) return null;
        if (!may) return WAIT;
        var more = await loadFile(l, n);
        if ((l.titleRead || 0) === n) { l.title = t.concat(more); l.titleRead = n + 1; }
      }
    }
    for (var k = fileOf(l, id); k < l.firsts.length; k++) {
      var file = l.loaded[l.titleFiles + k];
      if (!file) {
        if (!may) return WAIT;
        file = await loadFile(l, l.titleFiles + k);
      }
      i = below(file, id);
      if (i < file.length) return file[i];
    }
    return null;
  }
  /* The same for a query term: the newest of its lists' entries. */
  async function seekAll(ls, g, id, may) {
    var found = await Promise.all(ls.map(function (l) { return seek(l, g, id, may); }));
    var best = null;
    for (var i = 0; i < found.length; i++) {
      if (found[i] === WAIT) return WAIT;
      if (found[i] && (!best || found[i][0] > best[0])) best = found[i];
    }
    return best;
  }
  function several(pieceLists, ok) {
    var sizes = pieceLists.map(function (ls) { return ls.reduce(function (s, l) { return s + l.count; }, 0); });
    var P = pieceLists.length;
    var top = ok.top !== undefined ? ok.top : Infinity, bottom = ok.bottom || 0;
    // The classes: which terms are in the title, and (when one is) whether a
    // thread or municipality; scored as everything() scores a record.
    var classes = [];
    for (var bits = 0; bits < (1 << P); bits++) {
      [true, false].forEach(function (high) {
        if (!bits && !high) return;
        if (bits && ok.kind !== undefined && ok.kind >= 0 && (ok.kind >= 2) !== high) return;
        var score = 0, inTitle = false, t = [];
        for (var i = 0; i < P; i++) {
          var b = (bits >> i) & 1;
          t.push(b);
          inTitle = inTitle || b === 1;
          score += (1 + 2 * b) * Math.log(1 + S.antall / Math.max(1, sizes[i]));
        }
        if (inTitle && high) score *= 1.25;
        classes.push({ t: t, high: bits ? high : null, score: score, next: top, head: undefined,
          g: t.map(function (b) { return b ? (high ? 0 : 1) : 2; }) });
      });
    }
    classes.sort(function (a, b) { return b.score - a.score; });
    var tiers = [];
    classes.forEach(function (c) {
      var last = tiers[tiers.length - 1];
      if (last && last[0].score === c.score) last.push(c); else tiers.push([c]);
    });
    /* Files are asked for ahead, so that they come in parallel, not one by
       one: the title files of a list that has few, and for the next PAGE
       records of a term known in full (in this class), the other terms'
       files that can hold them. */
    pieceLists.forEach(function (ls) {
      ls.forEach(function (l) {
        if (l.titleFiles <= AHEAD) for (var n = 0; n < l.titleFiles; n++) loadFile(l, n);
      });
    });
    function known(l, g) { return !l.files || (g < 2 && (l.titleRead || 0) >= l.titleFiles); }
    function ahead(c) {
      if (c.asked !== undefined && c.next > c.asked) return;
      for (var d = 0; d < P; d++) {
        if (!pieceLists[d].every(function (l) { return known(l, c.g[d]); })) continue;
        var ids = [], g = c.g[d];
        pieceLists[d].forEach(function (l) {
          var es = l.files ? l.title || [] : (seek(l, g, 0, false), l.groups[g]);
          for (var i = at(es, g, c.next); i < es.length && ids.length < 4 * PAGE && group(es[i][1]) === g; i++) {
            ids.push(es[i][0]);
          }
        });
        ids.sort(function (a, b) { return b - a; });
        ids = ids.slice(0, PAGE);
        c.asked = ids.length ? ids[ids.length - 1] : -1;
        pieceLists.forEach(function (ls, j) {
          if (j === d) return;
          ls.forEach(function (l) {
            if (!l.files) return;
            ids.forEach(function (id) {
              if (l.firsts.length) loadFile(l, l.titleFiles + fileOf(l, id));
            });
          });
        });
        return;
      }
    }
    /* The next result of class c: [id, flags], null when there is none. */
    async function next(c, may) {
      for (;;) {
        if (may) ahead(c);
        var id = c.next, flags = 0, agreed = 0, i = 0;
        while (agreed < P) {
          if (id < bottom) { c.next = -1; return null; }
          var e = await seekAll(pieceLists[i], c.g[i], id, may);
          if (e === WAIT) { c.next = id; return WAIT; }
          if (!e || e[0] < bottom) { c.next = -1; return null; }
          if (e[0] === id) agreed++; else { id = e[0]; agreed = 1; }
          flags = e[1];
          i = (i + 1) % P;
        }
        c.next = id - 1;
        var kind = (flags >> 1) & 3;
        if (c.high !== null && (kind >= 2) !== c.high) continue;
        if (!ok(id, flags)) continue;
        // A term this class has outside the title must not be in it.
        var titled = false;
        for (i = 0; i < P && !titled; i++) {
          if (c.t[i]) continue;
          e = await seekAll(pieceLists[i], kind >= 2 ? 0 : 1, id, may);
          if (e === WAIT) { c.next = id; return WAIT; }
          titled = !!e && e[0] === id;
        }
        if (!titled) return [id, flags];
      }
    }
    var tier = 0, found = [], ticket = current;
    /* Results until n, and on while that needs no file: whether they are all. */
    async function walk(n) {
      while (tier < tiers.length) {
        if (ticket !== current) return false;
        var cs = tiers[tier];
        for (var i = 0; i < cs.length; i++) {
          if (cs[i].head !== undefined) continue;
          var h = await next(cs[i], found.length < n);
          if (h === WAIT) return false;
          cs[i].head = h;
        }
        var best = null;
        cs.forEach(function (c) { if (c.head && (!best || c.head[0] > best.head[0])) best = c; });
        if (!best) { tier++; continue; }
        found.push(best.head);
        best.head = undefined;
      }
      return true;
    }
    var running = Promise.resolve();
    return function (n) {
      running = running.then(function () { return walk(n); }).then(function (all) {
        if (ticket !== current) return null;
        results = found;
        complete = all;
        return all ? found.length : null;
      });
      return running;
    };
  }

  /* Several query terms, the whole ranking at once: the term with the fewest
     records is read whole; of the others only the files that can hold them.
     What several() gives must begin as this does; only a test asks for it
     (window.saksgangSokHel), since it reads megabytes of a large archive. */
  function everything(pieceLists, ok) {
    var sizes = pieceLists.map(function (ls) { return ls.reduce(function (s, l) { return s + l.count; }, 0); });
    var driver = 0;
    sizes.forEach(function (s, i) { if (s < sizes[driver]) driver = i; });
    var all = function (ls) {
      return Promise.all(ls.map(function (l) {
        var wait = [];
        for (var n = 0; n < l.files; n++) wait.push(loadFile(l, n));
        return Promise.all(wait).then(function (files) {
          if (l.files) l.entries = [].concat.apply([], files);
          l.next = l.files;
        });
      }));
    };
    function sets(ls) {
      var m = new Map();
      ls.forEach(function (l) {
        l.entries.forEach(function (e) { m.set(e[0], (m.get(e[0]) || 0) | e[1]); });
        Object.keys(l.loaded).forEach(function (n) {
          l.loaded[n].forEach(function (e) { m.set(e[0], (m.get(e[0]) || 0) | e[1]); });
        });
      });
      return m;
    }
    return function () {
      return all(pieceLists[driver]).then(function () {
        var candidates = sets(pieceLists[driver]);
        var ids = [];
        candidates.forEach(function (flags, id) { if (ok(id, flags)) ids.push(id); });
        // Of the other terms: their title files, and the others that can hold a candidate.
        var wait = [];
        pieceLists.forEach(function (ls, i) {
          if (i === driver) return;
          ls.forEach(function (l) {
            if (!l.files) return;
            var need = {};
            for (var n = 0; n < l.titleFiles; n++) need[n] = true;
            ids.forEach(function (id) {
              var f = l.firsts, lo = 0, hi = f.length - 1, at = -1;
              while (lo <= hi) {
                var mid = (lo + hi) >> 1;
                if (f[mid] >= id) { at = mid; lo = mid + 1; } else hi = mid - 1;
              }
              if (at >= 0) need[l.titleFiles + at] = true;
            });
            Object.keys(need).forEach(function (n) { wait.push(loadFile(l, Number(n))); });
          });
        });
        return Promise.all(wait).then(function () {
          var maps = pieceLists.map(sets);
          var scored = [];
          ids.forEach(function (id) {
            var score = 0, inTitle = false, flags = candidates.get(id);
            for (var i = 0; i < maps.length; i++) {
              var f = maps[i].get(id);
              if (f === undefined) return;
              var t = f & 1;
              inTitle = inTitle || t === 1;
              score += (1 + 2 * t) * Math.log(1 + S.antall / Math.max(1, sizes[i]));
            }
            var kind = (flags >> 1) & 3;
            if (inTitle && kind >= 2) score *= 1.25;
            scored.push([score, id, flags]);
          });
          scored.sort(function (a, b) { return b[0] - a[0] || b[1] - a[1]; });
          results = scored.map(function (s) { return [s[1], s[2]]; });
          complete = true;
          return results.length;
        });
      });
    };
  }

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
      return lists(p, typing && i === queryPieces.length - 1 && !/[\d.\/]/.test(p.word));
    })).then(function (pieceLists) {
      if (ticket !== current) return;
      var ok = filter();
      if (pieceLists.some(function (ls) { return !ls.length; })) {
        fill = function () { results = []; complete = true; return Promise.resolve(0); };
      } else if (pieceLists.length === 1) {
        fill = single(pieceLists[0], ok);
      } else if (window.saksgangSokHel) {
        var once = everything(pieceLists, ok), done = null;
        fill = function () { return done || (done = once()); };
      } else {
        fill = several(pieceLists, ok);
      }
      shown = 0;
      return fill(PAGE).then(function (count) {
        if (ticket !== current) return;
        var n = count !== null ? count : results.length;
        status.textContent = n === 0
          ? "Ingen treff på «" + q + "»."
          : (complete || count !== null ? "" : "Minst ") + (n === 1 ? "1 treff" : n + " treff") + " på «" + q + "».";
        return showMore(ticket);
      });
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
    return fill(shown + PAGE).then(function () {
      if (ticket !== current) return;
      var batch = results.slice(shown, shown + PAGE);
      shown += batch.length;
      // Every record file is asked for at once; each result is shown as soon
      // as it and those before it are in.
      var files = {};
      batch.forEach(function (r) {
        var n = Math.floor(r[0] / S.perFil);
        if (!files[n]) files[n] = load("d/" + n);
      });
      var chain = Promise.resolve();
      batch.forEach(function (r) {
        chain = chain.then(function () { return files[Math.floor(r[0] / S.perFil)]; }).then(function (file) {
          if (ticket !== current) return;
          file = expand(file);
          if (file) list.appendChild(result(r[1], file[r[0] % S.perFil]));
        });
      });
      return chain.then(function () {
        if (ticket !== current) return;
        more.hidden = shown >= results.length && complete;
        root.setAttribute("data-ferdig", "ja");
      });
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

  function result(flags, record) {
    var li = document.createElement("li");
    var kind = document.createElement("span");
    kind.className = "sok-type";
    kind.textContent = KIND[KINDS.charAt((flags >> 1) & 3)] || "";
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
