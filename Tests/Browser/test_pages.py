"""Every page at phone width: fits the screen, plots are named, links land, no script errors."""
import posixpath
import urllib.parse

from conftest import SITE_DIR


def test_no_page_is_wider_than_a_phone(crawl):
    wide = {path: (r["scrollWidth"], r["wide"]) for path, r in crawl["pages"].items() if r["scrollWidth"] > r["width"]}
    assert not wide, f"{len(wide)} pages wider than 390 px: {wide}"
    for width in (360, 430):
        wide = {path: r[f"scrollWidth{width}"] for path, r in crawl["pages"].items() if r[f"scrollWidth{width}"] > width}
        assert not wide, f"{len(wide)} pages wider than {width} px: {wide}"


def test_plots_change_palette_in_the_dark(crawl):
    plotted = sum(r["series"] for r in crawl["pages"].values())
    assert plotted > 100, f"only {plotted} plots on the whole site"
    same = {path: r["same_in_dark"] for path, r in crawl["pages"].items() if r["same_in_dark"]}
    assert not same, f"plot lines that keep their light colour in dark mode: {same}"


def test_reference_prose_typesets_maths_and_code(crawl):
    raw = {path: r["raw"][:5] for path, r in crawl["pages"].items() if "/reference/" in path and r["raw"]}
    assert not raw, f"raw subscripts, superscripts or identifiers in running text: {raw}"


def test_every_plot_has_an_accessible_name(crawl):
    unnamed = {path: sum(1 for s in r["svgs"] if not s["label"] and not s["hidden"])
               for path, r in crawl["pages"].items()}
    unnamed = {path: n for path, n in unnamed.items() if n}
    assert not unnamed, f"SVG plots without an accessible name: {unnamed}"
    escaped = {path: sum(1 for s in r["svgs"] if s["escaped"]) for path, r in crawl["pages"].items()}
    escaped = {path: n for path, n in escaped.items() if n}
    assert not escaped, f"SVG plots whose <title>/<style> were escaped into text: {escaped}"


def test_language_switcher_and_pager_land_on_pages(crawl):
    broken = []
    for path, r in crawl["pages"].items():
        for href in r["links"]:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(path), urllib.parse.urlsplit(href).path))
            if not (SITE_DIR / target).is_file():
                broken.append((path, href))
    assert not broken, f"links to missing pages: {broken}"


def test_no_console_errors(crawl):
    assert not crawl["errors"], crawl["errors"][:10]
