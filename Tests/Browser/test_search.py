"""Search: the public query list, keyboard use, and an index loaded only when asked for."""
import json
import pathlib

import pytest

from conftest import PHONE, SITE_URL

QUERIES = json.loads((pathlib.Path(__file__).parent / "search-queries.json").read_text(encoding="utf-8"))
CASES = [(language, query, expected) for language, table in QUERIES.items() if not language.startswith("_")
         for query, expected in table.items()]


@pytest.fixture(scope="module")
def search_pages(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pages = {}
    for language in {case[0] for case in CASES}:
        page = context.new_page()
        page.goto(f"{SITE_URL}{language}/index.html")
        pages[language] = page
    yield pages
    context.close()


@pytest.mark.parametrize("language,query,expected", CASES, ids=[f"{c[0]}:{c[1]}" for c in CASES])
def test_expected_page_first(search_pages, language, query, expected):
    results = search_pages[language].evaluate(
        "q => new Promise(done => window.lossbookSearch(q, done))", query)
    assert results, f"no result for {query!r}"
    acceptable = expected if isinstance(expected, list) else [expected]
    assert results[0]["url"] in acceptable, [r["url"] for r in results[:5]]


def test_index_loads_on_first_use_and_keys_work(browser):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{SITE_URL}en/index.html")
    assert page.evaluate("!document.querySelector('script[src$=\"search-index.js\"]') && !window.LOSSBOOK_SEARCH")
    page.keyboard.press("/")
    page.keyboard.type("focal loss")
    page.wait_for_selector("#search-results [role=option]")
    assert page.get_attribute("#search", "aria-expanded") == "true"
    assert "pages found" in page.text_content(".search-status")
    box = page.eval_on_selector("#search-results", "e => e.getBoundingClientRect().toJSON()")
    assert box["left"] >= 0 and box["right"] <= PHONE["width"]
    assert page.locator("#search-results mark").count() > 0
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.get_attribute("#search", "aria-activedescendant") == "search-option-1"
    href = page.get_attribute("#search-option-1", "href")
    page.keyboard.press("Enter")
    page.wait_for_url("**" + href.lstrip("."))
    context.close()
