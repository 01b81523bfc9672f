"""Our search against Pagefind on the same built site and the same queries, in headless Chromium.

Usage (scripts/bench/search-vs-pagefind.sh sets everything up):
    python search_vs_pagefind.py SITE_URL QUERIES.json [CHROMIUM]

SITE_URL serves the built site with a Pagefind bundle in `pagefind/` beside the languages. For each
engine and language a fresh browser context (empty cache) opens `<lang>/index.html`, runs the
language's first query while counting every byte of the engine's code and index that reaches the
page (ours: assets/search.js and <lang>/search-index.js; Pagefind: everything under /pagefind/,
the fragments of the top three results included), then runs every query of the language. A query
counts as a top-1 hit when the first result is one of its expected pages, top-3 when any of the
first three is. Bytes are what a plain static server sends (no compression), and each response
gzipped (what a compressing server would send). Latency is the time from the call to having the top three results' URLs (Pagefind
loads a fragment per result for its URL), the first query (which loads the index) excluded from
the mean and printed on its own.
"""
import gzip
import json
import statistics
import sys
import urllib.request

from playwright.sync_api import Error, sync_playwright

OURS_JS = """async q => {
  const t0 = performance.now();
  const results = await new Promise(done => window.lossbookSearch(q, done));
  return { ms: performance.now() - t0, urls: results.slice(0, 3).map(r => r.url) };
}"""

PAGEFIND_JS = """async q => {
  const t0 = performance.now();
  if (!window.__pagefind) {
    window.__pagefind = await import("/pagefind/pagefind.js");
    await window.__pagefind.init();
  }
  const search = await window.__pagefind.search(q);
  const data = await Promise.all(search.results.slice(0, 3).map(r => r.data()));
  return { ms: performance.now() - t0, urls: data.map(d => d.url) };
}"""


def normalise(url):
    """`/en/reference/focal/index.html#x` and `en/reference/focal/index.html` alike."""
    return url.split("#")[0].lstrip("/")


def run_engine(browser, site_url, name, script, queries):
    outcome = {"top1": 0, "top3": 0, "count": 0, "latencies": [], "first_ms": {}, "bytes": {}, "gzip": {}, "misses": []}
    for language, table in queries.items():
        context = browser.new_context()
        page = context.new_page()
        sizes = []

        def counted(request):
            path = request.url[len(site_url):]
            if name == "ours" and not (path == "assets/search.js" or path.endswith("search-index.js")):
                return
            if name == "pagefind" and not path.startswith("pagefind/"):
                return
            try:
                response = request.response()
                if response is None:
                    return
                raw = request.sizes()["responseBodySize"] + request.sizes()["responseHeadersSize"]
            except Error:  # the context closed while a late request finished: not part of the first search
                return
            # The same file again, outside the browser (a script's body is not always kept by it).
            with urllib.request.urlopen(request.url) as again:
                sizes.append((raw, len(gzip.compress(again.read(), 6))))

        page.on("requestfinished", counted)
        page.goto(f"{site_url}{language}/index.html", wait_until="load")
        for k, (query, expected) in enumerate(table.items()):
            answer = page.evaluate(script, query)
            if k == 0:
                page.wait_for_load_state("networkidle")
                outcome["bytes"][language] = sum(raw for raw, _ in sizes)
                outcome["gzip"][language] = sum(packed for _, packed in sizes)
                outcome["first_ms"][language] = answer["ms"]
            else:
                outcome["latencies"].append(answer["ms"])
            acceptable = expected if isinstance(expected, list) else [expected]
            urls = [normalise(u) for u in answer["urls"]]
            outcome["count"] += 1
            if urls[:1] and urls[0] in acceptable:
                outcome["top1"] += 1
            else:
                outcome["misses"].append((language, query, urls[:3]))
            if any(u in acceptable for u in urls[:3]):
                outcome["top3"] += 1
        context.close()
    return outcome


def main():
    site_url = sys.argv[1].rstrip("/") + "/"
    queries = json.loads(open(sys.argv[2], encoding="utf-8").read())
    queries = {language: table for language, table in queries.items() if not language.startswith("_")}
    chromium = sys.argv[3] if len(sys.argv) > 3 else "/usr/bin/chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        results = {name: run_engine(browser, site_url, name, script, queries)
                   for name, script in (("ours", OURS_JS), ("pagefind", PAGEFIND_JS))}
        browser.close()
    counts = ", ".join(f"{len(t)} {language}" for language, t in queries.items())
    print(f"queries: {counts}")
    languages = list(queries)
    header = ("| engine | top-1 | top-3 | mean query ms | first query ms ("
              + " / ".join(languages) + ") | first search KB (" + " / ".join(languages)
              + ") | the same, gzipped KB |")
    print(header)
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, r in results.items():
        n = r["count"]
        print(f"| {name} | {r['top1']}/{n} ({100 * r['top1'] / n:.0f} %) | {r['top3']}/{n} ({100 * r['top3'] / n:.0f} %) "
              f"| {statistics.mean(r['latencies']):.1f} "
              f"| {' / '.join('%.0f' % r['first_ms'][l] for l in languages)} "
              f"| {' / '.join('%.0f' % (r['bytes'][l] / 1024) for l in languages)} "
              f"| {' / '.join('%.0f' % (r['gzip'][l] / 1024) for l in languages)} |")
    for name, r in results.items():
        for language, query, urls in r["misses"]:
            print(f"{name} top-1 miss [{language}] {query!r}: {urls}")


if __name__ == "__main__":
    main()
