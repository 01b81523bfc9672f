"""Browser checks of the built site (site/), served over HTTP by scripts/browser-tests.sh.

Playwright drives the system chromium (Debian's /usr/bin/chromium); no browser is downloaded.
Environment: LOSSBOOK_SITE_URL (the served site/, e.g. http://127.0.0.1:8123/), LOSSBOOK_SITE_DIR
(the folder, to list pages), CHROMIUM (the browser, default /usr/bin/chromium).
"""
import os
import pathlib

import pytest
from playwright.sync_api import sync_playwright

SITE_URL = os.environ.get("LOSSBOOK_SITE_URL", "http://127.0.0.1:8000/").rstrip("/") + "/"
SITE_DIR = pathlib.Path(os.environ.get("LOSSBOOK_SITE_DIR", "site"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}


def site_pages():
    """Every page of the site, by its path from the site root (`en/guide/index.html`)."""
    pages = sorted(str(p.relative_to(SITE_DIR)) for p in SITE_DIR.glob("*/**/index.html"))
    assert pages, f"no pages under {SITE_DIR}: build the site first"
    return pages


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def crawl(browser):
    """Visits every page once at phone width in one context and records what the checks need."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append((page.url, m.text)) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append((page.url, str(e))))
    results = {}
    for path in site_pages():
        page.set_viewport_size(PHONE)
        page.emulate_media(color_scheme="light")
        page.goto(SITE_URL + path, wait_until="load")
        results[path] = page.evaluate(
            r"""() => {
              const root = document.documentElement;
              const wide = [];
              if (root.scrollWidth > innerWidth) {
                for (const el of document.querySelectorAll('body *')) {
                  const r = el.getBoundingClientRect();
                  if (r.right > innerWidth + 1 && r.width > 0 && !el.closest('.sidebar')) {
                    wide.push(el.tagName.toLowerCase() + '.' + (el.className && el.className.baseVal !== undefined ? el.className.baseVal : el.className));
                    if (wide.length > 4) break;
                  }
                }
              }
              const svgs = [...document.querySelectorAll('article svg')].filter(s => !s.closest('button')).map(s => {
                const title = s.querySelector(':scope > title');
                const labelledBy = (s.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean)
                  .map(id => document.getElementById(id)).filter(Boolean).map(e => e.textContent.trim()).join(' ');
                const label = s.getAttribute('aria-label') || labelledBy || (title ? title.textContent.trim() : '');
                // A <title> or <style> escaped into text by a tag filter shows up as text in the drawing.
                const escaped = /<(title|style)\b/.test(s.textContent);
                return { label, escaped, hidden: s.getAttribute('aria-hidden') === 'true' || !!s.closest('[aria-hidden=true]') };
              });
              const links = [...document.querySelectorAll('nav.langs a, nav.pager a')].map(a => a.getAttribute('href'));
              // Reference pages' prose: maths typeset and identifiers as code, so no raw `p_t`, `(1−p)^γ`
              // or `ignore_index` in running text (code, formulas, plots and scripts aside, and the
              // generated "verified" lines, which name the peer calls rechecked as plain text).
              const raw = [];
              const walker = document.createTreeWalker(document.querySelector('article'), NodeFilter.SHOW_TEXT);
              while (walker.nextNode()) {
                const node = walker.currentNode;
                if (node.parentElement.closest('code, pre, .katex, svg, script, style, .verified, figcaption')) continue;
                const hit = node.textContent.match(/\S*(?:[A-Za-z\u0370-\u03FF]_[A-Za-z0-9\u0370-\u03FF]|\^)\S*/);
                if (hit) raw.push(hit[0]);
              }
              return { scrollWidth: root.scrollWidth, width: innerWidth, wide, svgs, links, raw };
            }"""
        )
        # The other phone widths, without reloading: the page must fit each.
        for width in (360, 430):
            page.set_viewport_size({"width": width, "height": PHONE["height"]})
            results[path][f"scrollWidth{width}"] = page.evaluate("document.documentElement.scrollWidth")
        # Plots in the dark: the first line of every plot (Okabe–Ito blue, lighter in the dark) changes colour.
        strokes = "() => [...document.querySelectorAll('article svg .lb-series.lb-s0')].map(g => getComputedStyle(g).stroke)"
        light = page.evaluate(strokes)
        page.emulate_media(color_scheme="dark")
        dark = page.evaluate(strokes)
        results[path]["series"] = len(light)
        results[path]["same_in_dark"] = sum(1 for a, b in zip(light, dark) if a == b)
    context.close()
    return {"pages": results, "errors": errors}
