"""Reading: without JavaScript, and the phone menu by keyboard."""
from conftest import PHONE, SITE_URL


def test_page_reads_without_javascript(browser):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{SITE_URL}en/guide/index.html")
    assert page.locator("article h1").is_visible()
    assert page.locator("article .katex").count() > 0
    # No menu button and no search box without script; the page list is still there to read.
    assert not page.locator("button.nav-button").is_visible()
    assert not page.locator(".search-box").is_visible()
    assert page.locator("nav.sidebar a").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    context.close()


def test_phone_menu_is_a_button_with_the_contents(browser):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{SITE_URL}en/guide/index.html")
    button = page.locator("button.nav-button")
    assert button.is_visible() and button.get_attribute("aria-expanded") == "false"
    assert not page.locator("nav.sidebar").is_visible()
    button.focus()
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    assert page.locator("nav.sidebar").is_visible()
    assert page.locator(".drawer-toc a").first.is_visible(), "the page's contents are in the drawer"
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    # The top bar's parts are not squeezed: the menu icon keeps its size, the brand shows.
    assert page.eval_on_selector("button.nav-button", "b => b.getBoundingClientRect().width") >= 36
    assert page.eval_on_selector(".brand", "b => b.getBoundingClientRect().width") >= 60
    context.close()


def test_top_bar_fits_small_phones(browser):
    for width in (360, 390, 430):
        context = browser.new_context(viewport={"width": width, "height": 700})
        page = context.new_page()
        for language in ("en", "zh"):
            page.goto(f"{SITE_URL}{language}/index.html")
            fits = page.evaluate("""() => {
              const brand = document.querySelector('.brand'), search = document.querySelector('.search');
              const probe = document.createElement('span');
              probe.style.cssText = 'position:absolute;visibility:hidden;white-space:nowrap;font:' + getComputedStyle(search).font;
              probe.textContent = search.placeholder;
              document.body.appendChild(probe);
              const style = getComputedStyle(search);
              const room = search.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
              return { brand: brand.scrollWidth <= brand.clientWidth, placeholder: probe.offsetWidth <= room + 1,
                       page: document.documentElement.scrollWidth <= innerWidth };
            }""")
            assert all(fits.values()), (width, language, fits)
        context.close()
