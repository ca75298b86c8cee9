"""Hostile sheet text in a real browser (issue 9): `streamlit run app.py` on a workbook whose every
free-text and code cell holds Markdown images and links, HTML, bare URLs, directives and LaTeX
(tests/hostile.py), and whose file name does too. In headless Chromium no page may show an image
or a link from that text, nor fetch anything from its host; the text itself is on the page,
character for character.
"""
from __future__ import annotations

import os

import pytest

from tests.browser_support import require_chromium, streamlit_server

require_chromium()

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from baz_data.escaping import WORD_JOINER  # noqa: E402
from tests.hostile import hostile_tabs  # noqa: E402
from tests.test_browser import (_settled, browser, downloads, open_page,  # noqa: E402,F401
                                screenshot, visible_text)

ATTACK = "![x](https://evil.example/x.png)"
FILE_NAME = "[Klik hier](https:evil.example) <img src=x> $x$ :red[rood].ods"
PATHS = ["", "weekoverleg", "kwartaaloverzicht", "uren_per_partner", "doelstellingen",
         "datakwaliteit", "begrotingsevaluatie"]
SHOWN_ON = {"", "kwartaaloverzicht", "uren_per_partner", "doelstellingen"}  # the attack itself


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on a free localhost port, on the hostile workbook (BAZ_WORKBOOK), no secrets."""
    from baz_data.demo import write_workbook

    where = tmp_path_factory.mktemp("streamlit-hostile")
    book = where / FILE_NAME
    write_workbook(hostile_tabs(), book)   # .ods: every text cell a string, as typed
    env = {**os.environ, "HOME": str(where), "BAZ_WORKBOOK": str(book)}
    with streamlit_server(where, env) as url:
        yield url


def _live(driver) -> dict[str, list[str]]:
    """Images, links and fetched resources that come from the hostile text."""
    found = driver.execute_script("""
        const bad = s => /evil\\.example|^javascript:|^file:|^mailto:|\\/x$/i.test(s);
        return {
          images: Array.from(document.images).map(i => i.src).filter(bad),
          links: Array.from(document.querySelectorAll('a[href]')).map(a => a.href).filter(bad),
          fetched: performance.getEntriesByType('resource').map(e => e.name).filter(bad),
          html: Array.from(document.querySelectorAll('[data-testid="stApp"] img[src="x"]'))
                .map(i => i.outerHTML),
        };""")
    return {kind: items for kind, items in found.items() if items}


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p or "overzicht")
def test_hostile_text_shows_literally_in_the_browser(server, browser, path):
    open_page(browser, server, path)
    if path == "doelstellingen":   # open a goal: its actions and the lessons learned table
        browser.find_element(By.CSS_SELECTOR, '[data-testid="stExpander"] summary').click()
        WebDriverWait(browser, 30).until(lambda d: "Indicatoren" in visible_text(d) and _settled(d))
    assert not browser.find_elements(By.CSS_SELECTOR, '[data-testid="stException"]')
    screenshot(browser, f"escaping-{path or 'overzicht'}")
    assert _live(browser) == {}
    text = visible_text(browser).replace(WORD_JOINER, "")
    assert FILE_NAME in text                       # the sidebar names the workbook literally
    if path in SHOWN_ON:
        assert ATTACK in text
