// Search over the site's pages, in the browser and offline too.
//
// The index (<lang>/search-index.js: every page's readable text, cut into sections at its
// headings) is injected as a <script> the first time the search box is used, so reading a page
// never loads it and a copy opened from disk (file://) searches as well as a server.
//
// Words: Latin text by words (an identifier such as `ignore_index` is one word and also its parts,
// so "ignore index" finds it), Chinese by overlapping character pairs (交叉熵 → 交叉, 叉熵). A query
// word also finds the words it begins and, from four letters on, words one typo away; accents are
// ignored (lovasz finds Lovász). Pages rank by BM25 per field (title, headings, body, captions and
// mentions), each field saturating on its own, so a word repeated in a page's boilerplate (table
// captions, check notes) adds little once it is there, and a heading or title hit outweighs any
// number of body hits. "Mentions" are the other pages naming a page by its id (`hausdorff-dt`): the
// page a family's relatives refer to is the family's main page. A title that is the query, or begins
// with it, brings a bonus, larger the more of the title (outside brackets first) the query covers,
// so for a family name the shortest title of the family comes first; a heading holding every word
// of a longer query brings a smaller one, and query words side by side another. Each result links
// to its best-matching section and shows a passage of it with the hits marked.
(function () {
  "use strict";
  var input = document.getElementById("search");
  var box = document.getElementById("search-results");
  var status = document.querySelector(".search-status");
  if (!input || !box) return;
  var root = input.getAttribute("data-root") || "";
  var noneText = input.getAttribute("data-none") || "";
  var countText = input.getAttribute("data-count") || "{count}";

  // Fields: title, heading, body, captions (what the index marks as such: figure captions, check
  // notes), mentions (ids of this page written on other pages).
  var TITLE = 0, HEADING = 1, BODY = 2, CAPTION = 3, MENTION = 4, FIELDS = 5;
  var FIELD_WEIGHT = [6, 3, 1, 0.5, 4];
  var FIELD_B = [0.3, 0.5, 0.75, 0.75, 0];
  // How much a field's hits count when choosing a page's best section.
  var SECTION_WEIGHT = [0, 3, 1, 0.5, 0];
  var K1 = 1.2;
  // Bonus for a section heading that holds every word of a query of several, times how much of the
  // heading the query covers (a title's is 4 to 10).
  var HEADING_BONUS = 2;
  // A query word's fields, weighted, are divided by this: a word in the title, a heading and the body
  // then scores about its idf, as the single saturated sum did before, on which scale the title
  // and heading bonuses are set.
  var WEIGHT_SCALE = FIELD_WEIGHT[TITLE] + FIELD_WEIGHT[HEADING] + FIELD_WEIGHT[BODY];
  var MAX_RESULTS = 10;

  // ---- Words

  var TOKEN = /[0-9A-Za-z_\u00C0-\u024F\u0370-\u03FF]+|[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF]+/g;
  var CJK = /^[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF]/;
  var PART = /[A-Z]+(?![a-z])|[A-Z]?[a-z\u00C0-\u024F\u0370-\u03FF]+|[0-9]+|[^_A-Za-z0-9\u00C0-\u024F\u0370-\u03FF]+/g;
  var ACCENTS = /[\u0300-\u036F]/g;

  /// A word as it is indexed and looked up: lower case, accents dropped.
  function fold(word) {
    var lower = word.toLowerCase();
    return /[^\x00-\x7F]/.test(lower) ? lower.normalize("NFD").replace(ACCENTS, "") : lower;
  }

  /// Words of a text with positions (adjacent words differ by one) and character offsets.
  /// In a query, an identifier stays whole; in the index it is also its parts.
  function tokenize(text, query) {
    var out = [], pos = 0, m;
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(text))) {
      var word = m[0], at = m.index;
      if (CJK.test(word)) {
        if (word.length === 1) { out.push({ t: word, p: pos++, s: at, e: at + 1 }); continue; }
        for (var i = 0; i + 1 < word.length; i++) out.push({ t: word.substr(i, 2), p: pos++, s: at + i, e: at + i + 2 });
        continue;
      }
      var trimmed = word.replace(/^_+|_+$/g, "");
      if (!trimmed) continue;
      var whole = fold(trimmed), start0 = at + word.indexOf(trimmed);
      // Parts: between underscores and at case changes (`ignore_index`, `DiceCELoss` → dice, ce, loss).
      var parts = [], m2;
      PART.lastIndex = 0;
      while ((m2 = PART.exec(trimmed))) parts.push({ t: fold(m2[0]), s: start0 + m2.index, n: m2[0].length });
      if (parts.length <= 1 || query) { out.push({ t: whole, p: pos++, s: start0, e: start0 + trimmed.length }); continue; }
      out.push({ t: whole, p: pos, s: start0, e: start0 + trimmed.length });
      parts.forEach(function (part) { out.push({ t: part.t, p: pos++, s: part.s, e: part.s + part.n, part: true }); });
    }
    return out;
  }

  /// Whether b is a at most one edit away (insertion, deletion, substitution, swap of neighbours).
  function oneEdit(a, b) {
    var la = a.length, lb = b.length;
    if (Math.abs(la - lb) > 1) return false;
    var i = 0;
    while (i < la && i < lb && a[i] === b[i]) i++;
    if (la === lb) {
      if (i === la) return true;
      if (a.slice(i + 1) === b.slice(i + 1)) return true;
      return i + 1 < la && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
    }
    return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  // ---- Index

  var index = null, loading = false;

  /// A page's id, the last folder of its address (`en/reference/hausdorff-dt/index.html` → `hausdorff-dt`).
  function pageId(url) {
    var parts = url.split("/");
    return parts.length > 2 ? parts[parts.length - 2] : "";
  }

  /// Ids written in running text, as whole words (not inside `log-hausdorff-dt`): a pattern over the
  /// ids of more than one word (a one-word id such as `dice` is an ordinary word), longest first.
  function idPattern(pages) {
    var ids = pages.map(function (page) { return pageId(page.url); })
      .filter(function (id) { return /^[a-z0-9]+(-[a-z0-9]+)+$/.test(id); })
      .sort(function (a, b) { return b.length - a.length; });
    return ids.length ? new RegExp("(?:^|[^A-Za-z0-9_-])(" + ids.join("|") + ")(?![A-Za-z0-9_-])", "g") : null;
  }

  var QUALIFIER = /[(\uFF08][^()\uFF08\uFF09]*[)\uFF09]/g;

  /// The words of a title outside brackets: in "Hausdorff distance loss (erosion)" or
  /// "Focal 损失（焦点损失）" the part in brackets tells relatives apart or gives another name; the
  /// rest is the name proper, which a family name is compared with.
  function titleHead(title) {
    var spans = [], m;
    QUALIFIER.lastIndex = 0;
    while ((m = QUALIFIER.exec(title))) spans.push([m.index, m.index + m[0].length]);
    return tokenize(title, true)
      .filter(function (w) { return !spans.some(function (r) { return w.s >= r[0] && w.s < r[1]; }); })
      .map(function (w) { return w.t; });
  }

  function distinct(words) {
    return words.filter(function (w, i) { return words.indexOf(w) === i; }).length;
  }

  /// pages: [[title, url, [[anchor, heading, text, captions?], …]], …] → postings per word.
  function build(raw) {
    var postings = Object.create(null), lengths = [], f;
    for (f = 0; f < FIELDS; f++) lengths.push(0);
    var pages = raw.map(function (entry) {
      return { title: entry[0], url: entry[1], sections: entry[2], length: lengths.map(function () { return 0; }), mentioned: 0 };
    });
    var byId = Object.create(null);
    pages.forEach(function (page, d) { byId[pageId(page.url)] = d; });
    var ids = idPattern(pages);
    function post(d, section, field, words) {
      words.forEach(function (w) {
        var list = postings[w.t] || (postings[w.t] = []);
        list.push(d, section, field, w.p);
        if (!w.part || field === TITLE) pages[d].length[field] += 1;
      });
    }
    /// Another page's id in this text is a mention of that page: its words count for that page.
    function mentions(text, d) {
      if (!ids) return;
      var m;
      ids.lastIndex = 0;
      while ((m = ids.exec(text))) {
        var target = byId[m[1]];
        if (target === d) continue;
        var words = tokenize(m[1], true);
        words.forEach(function (w) { w.p += pages[target].mentioned; });
        pages[target].mentioned += words.length + 1;
        post(target, 0, MENTION, words);
      }
    }
    pages.forEach(function (page, d) {
      post(d, 0, TITLE, tokenize(page.title, false));
      page.head = titleHead(page.title);
      page.titleSize = distinct(tokenize(page.title, true).map(function (w) { return w.t; }));
      page.sections.forEach(function (section, s) {
        if (section[1]) post(d, s, HEADING, tokenize(section[1], false));
        post(d, s, BODY, tokenize(section[2], false));
        mentions(section[2], d);
        if (section[3]) {
          post(d, s, CAPTION, tokenize(section[3], false));
          mentions(section[3], d);
        }
      });
    });
    pages.forEach(function (page) { for (f = 0; f < FIELDS; f++) lengths[f] += page.length[f]; });
    var average = lengths.map(function (total) { return Math.max(1, total / Math.max(1, pages.length)); });
    index = { pages: pages, postings: postings, words: Object.keys(postings), average: average };
  }

  function load() {
    if (index || loading) return;
    if (window.LOSSBOOK_SEARCH) { build(window.LOSSBOOK_SEARCH); return; }
    loading = true;
    var script = document.createElement("script");
    script.src = input.getAttribute("data-index");
    script.onload = function () {
      loading = false;
      build(window.LOSSBOOK_SEARCH || []);
      if (input.value) search(input.value);
    };
    script.onerror = function () { loading = false; };
    document.head.appendChild(script);
  }

  // ---- Ranking

  /// The index words a query word stands for, each with a weight (exact 1, begins 0.4–0.8, typo 0.45).
  function expand(term) {
    var found = [];
    if (index.postings[term]) found.push({ t: term, w: 1 });
    var cjk = CJK.test(term);
    if (cjk && term.length === 1) {
      index.words.forEach(function (word) {
        if (word.length === 2 && word !== term && word.indexOf(term) >= 0) found.push({ t: word, w: 0.8 });
      });
      return found;
    }
    if (cjk || term.length < 2) return found;
    var typos = term.length >= 4;
    index.words.forEach(function (word) {
      if (word === term) return;
      if (word.length > term.length && word.lastIndexOf(term, 0) === 0) found.push({ t: word, w: 0.4 + 0.4 * term.length / word.length });
      else if (typos && word[0] === term[0] && oneEdit(term, word)) found.push({ t: word, w: 0.45 });
    });
    found.sort(function (a, b) { return b.w - a.w; });
    return found.slice(0, 40);
  }

  function rank(query) {
    var terms = [];
    tokenize(query, true).forEach(function (w) { if (terms.indexOf(w.t) < 0) terms.push(w.t); });
    if (!terms.length) return { terms: [], results: [] };
    var pages = index.pages, n = pages.length;
    // Per page: per query word, weighted hits per field, and hits per section.
    var hits = Object.create(null);
    var expansions = terms.map(expand);
    expansions.forEach(function (list, k) {
      list.forEach(function (x) {
        var p = index.postings[x.t];
        for (var i = 0; i < p.length; i += 4) {
          var d = p[i];
          var h = hits[d] || (hits[d] = { tf: [], sections: Object.create(null), at: [] });
          var field = p[i + 2];
          var tf = h.tf[k] || (h.tf[k] = [0, 0, 0, 0, 0]);
          tf[field] += x.w;
          var key = p[i + 1];
          var sec = h.sections[key] || (h.sections[key] = []);
          sec[k] = (sec[k] || 0) + x.w * SECTION_WEIGHT[field];
          var at = h.at[k] || (h.at[k] = Object.create(null));
          at[key * FIELDS + field + ":" + p[i + 3]] = true;
        }
      });
    });
    var df = terms.map(function (_, k) {
      var count = 0;
      for (var d in hits) if (hits[d].tf[k]) count++;
      return count;
    });
    var results = [];
    for (var d in hits) {
      var h = hits[d], page = pages[d], score = 0, matched = 0;
      terms.forEach(function (_, k) {
        var tf = h.tf[k];
        if (!tf) return;
        matched++;
        // Each field saturates on its own: tf / (tf + K1 · length norm) is below 1 however often
        // the word repeats there, so a field counts at most its weight.
        var weighted = 0;
        for (var f = 0; f < FIELDS; f++) {
          if (!tf[f]) continue;
          var norm = 1 - FIELD_B[f] + FIELD_B[f] * page.length[f] / index.average[f];
          weighted += FIELD_WEIGHT[f] * tf[f] / (tf[f] + K1 * norm);
        }
        var idf = Math.log(1 + (n - df[k] + 0.5) / (df[k] + 0.5));
        score += idf * weighted / WEIGHT_SCALE;
      });
      // Query words side by side (a phrase): anywhere, in a heading, in the title.
      var adjacent = 0, inTitle = 0, inHeading = 0;
      for (var k = 0; k + 1 < terms.length; k++) {
        var here = h.at[k], next = h.at[k + 1];
        if (!here || !next) continue;
        var found = false, title = false, heading = false;
        for (var key in here) {
          var cut = key.indexOf(":"), place = +key.slice(0, cut);
          if (next[place + ":" + (+key.slice(cut + 1) + 1)]) {
            found = true;
            if (place === TITLE) title = true; else if (place % FIELDS === HEADING) heading = true;
          }
          if (title && heading) break;
        }
        if (found) adjacent++;
        if (title) inTitle++;
        if (heading) inHeading++;
      }
      if (terms.length > 1) score *= 1 + (0.5 * adjacent + 0.5 * inTitle + 0.4 * inHeading) / (terms.length - 1);
      // The title is the query (or begins with it), typos and word beginnings allowed: that page
      // first, and of titles beginning with it, the one the query covers most (the shortest).
      var titleWords = page.head;
      var leading = 1;
      for (var t = 0; t < terms.length && leading > 0; t++) {
        var weight = 0;
        if (t < titleWords.length) expansions[t].forEach(function (x) { if (x.t === titleWords[t]) weight = Math.max(weight, x.w); });
        leading = Math.min(leading, weight);
      }
      if (leading > 0 && titleWords.length === terms.length) score += 10 * leading;
      else if (leading > 0) {
        // How much of the title the query covers: of the name proper, then (less) of the whole.
        var coverage = 5 * Math.min(1, terms.length / distinct(titleWords)) + Math.min(1, terms.length / page.titleSize);
        score += (4 + coverage) * leading;
      }
      score *= Math.pow(matched / terms.length, 2);
      // Best section: the one with the most weighted hits of the most query words.
      var best = 0, bestScore = -1;
      for (var s in h.sections) {
        var sec = h.sections[s], covered = 0, sum = 0;
        for (var j = 0; j < terms.length; j++) if (sec[j]) { covered++; sum += sec[j]; }
        var value = covered * 100 + Math.min(sum, 99);
        if (value > bestScore) { bestScore = value; best = +s; }
      }
      // A page titled with the query (or a title beginning with it) is itself the answer: its top,
      // and a passage of its first prose.
      if (leading > 0) best = page.sections.length > 1 && page.sections[0][2].length < 80 ? -1 : 0;
      else {
        // A section whose heading holds every query word is the place, the shortest such heading
        // first; for a query of several words the page gets a smaller bonus than a title's, as large
        // as the share of the heading the query covers (a one-word query is in the heading of
        // every page that has a section on it: the fields' weights say enough).
        var bestHeading = Infinity, named = 0;
        page.sections.forEach(function (section, s) {
          if (!section[1] || section[1].length >= bestHeading) return;
          var words = Object.create(null), weight = 1;
          tokenize(section[1], false).forEach(function (w) { words[w.t] = true; });
          expansions.forEach(function (list) {
            var here = 0;
            list.forEach(function (x) { if (words[x.t]) here = Math.max(here, x.w); });
            weight = Math.min(weight, here);
          });
          if (weight > 0) {
            bestHeading = section[1].length;
            best = s;
            named = HEADING_BONUS * Math.min(1, terms.length / distinct(tokenize(section[1], true).map(function (w) { return w.t; }))) * weight;
          }
        });
        if (terms.length > 1) score += named;
      }
      results.push({ page: page, score: score, matched: matched, section: best });
    }
    var most = results.reduce(function (m, r) { return Math.max(m, r.matched); }, 0);
    results = results.filter(function (r) { return r.matched === most && (most === terms.length || most >= 2); });
    results.sort(function (a, b) { return b.score - a.score; });
    return { terms: terms, expansions: expansions, results: results };
  }

  // ---- Showing

  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }

  /// A passage of `text` around its first hit, hits marked.
  function snippet(text, words, width) {
    var ranges = [];
    tokenize(text, false).forEach(function (w) { if (words[w.t]) ranges.push([w.s, w.e]); });
    if (!ranges.length) return esc(text.slice(0, width)) + (text.length > width ? "…" : "");
    ranges.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var merged = [];
    ranges.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]); else merged.push(r.slice());
    });
    var start = Math.max(0, merged[0][0] - Math.floor(width / 3));
    if (start > 0) { var space = text.indexOf(" ", start); if (space >= 0 && space < merged[0][0]) start = space + 1; }
    var end = Math.min(text.length, start + width);
    var out = start > 0 ? "…" : "", at = start;
    merged.forEach(function (r) {
      if (r[0] >= end || r[1] <= at) return;
      out += esc(text.slice(at, r[0])) + "<mark>" + esc(text.slice(Math.max(r[0], at), Math.min(r[1], end))) + "</mark>";
      at = Math.min(r[1], end);
    });
    return out + esc(text.slice(at, end)) + (end < text.length ? "…" : "");
  }

  var active = -1;

  function show(open) {
    box.hidden = !open;
    input.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open) { active = -1; input.removeAttribute("aria-activedescendant"); }
  }

  function search(query) {
    if (!query.trim()) { box.innerHTML = ""; show(false); if (status) status.textContent = ""; return; }
    if (!index) { load(); return; }
    var ranked = rank(query);
    var words = Object.create(null);
    (ranked.expansions || []).forEach(function (list) { list.forEach(function (x) { words[x.t] = true; }); });
    var shown = ranked.results.slice(0, MAX_RESULTS);
    box.innerHTML = shown.map(function (r, i) {
      var top = r.section < 0, section = r.page.sections[top ? 1 : r.section] || ["", "", ""];
      var url = root + r.page.url + (section[0] && !top ? "#" + section[0] : "");
      return '<a role="option" id="search-option-' + i + '" aria-selected="false" href="' + esc(url) + '">' +
        "<strong>" + esc(r.page.title) + "</strong>" + (section[1] && !top ? '<em> › ' + esc(section[1]) + "</em>" : "") +
        "<span>" + snippet(section[2] || "", words, 160) + "</span></a>";
    }).join("") || '<p class="none">' + esc(noneText) + "</p>";
    active = -1;
    show(true);
    if (status) status.textContent = ranked.results.length ? countText.replace("{count}", ranked.results.length) : noneText;
  }

  function move(step) {
    var options = box.querySelectorAll("[role=option]");
    if (!options.length) return;
    if (active >= 0) options[active].setAttribute("aria-selected", "false");
    active = (active + step + options.length) % options.length;
    options[active].setAttribute("aria-selected", "true");
    options[active].scrollIntoView({ block: "nearest" });
    input.setAttribute("aria-activedescendant", options[active].id);
  }

  input.addEventListener("focus", function () { load(); if (input.value && box.innerHTML) show(true); });
  input.addEventListener("input", function () { search(input.value); });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") { event.preventDefault(); if (box.hidden) search(input.value); move(1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); move(-1); }
    else if (event.key === "Enter") {
      var options = box.querySelectorAll("[role=option]");
      var chosen = options[active >= 0 ? active : 0];
      if (chosen) { event.preventDefault(); show(false); location.href = chosen.href; }
    } else if (event.key === "Escape") {
      if (!box.hidden) show(false); else { input.value = ""; search(""); input.blur(); }
    }
  });
  document.addEventListener("keydown", function (event) {
    var target = event.target, typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) { event.preventDefault(); input.focus(); }
  });
  document.addEventListener("click", function (event) {
    if (!box.contains(event.target) && event.target !== input) show(false);
  });
  box.addEventListener("click", function () { show(false); });

  // For the browser tests and the curious: the ranking without the page around it.
  window.lossbookSearch = function (query, done) {
    function answer() {
      done(rank(query).results.slice(0, MAX_RESULTS).map(function (r) {
        var section = r.page.sections[r.section] || [""];
        return { title: r.page.title, url: r.page.url, anchor: section[0], score: Math.round(r.score * 100) / 100 };
      }));
    }
    if (index) return answer();
    load();
    var wait = setInterval(function () { if (index) { clearInterval(wait); answer(); } }, 20);
  };
})();
