"""Closing a quarter in a real browser: `streamlit run app.py` with login (the small OIDC provider
of tests/oidc_provider.py), headless Chromium, the bundled demo, and a history database of its
own (so the close reaches no other test). A stuurgroep member closes Q1 after seeing the lines,
finds the report of the close and the audit list; a BAZIEL member sees the list, no buttons.
The server log stays clean.
"""
from __future__ import annotations

import pytest

from tests.browser_support import SCREENSHOTS, require_chromium

require_chromium()

from selenium.webdriver.common.by import By  # noqa: E402

from baz_data.history import closes as hc  # noqa: E402
from baz_data.history.store import HistoryStore  # noqa: E402
from tests.test_browser_login import (CLIENT_ID, CLIENT_SECRET, COOKIE_SECRET,  # noqa: E402,F401
                                      STUURGROEP_EMAIL, assert_clean_log, browser, button,
                                      headings, idp, log_in, log_out, login_app,
                                      no_exception, text, wait_for)

BAZIEL_EMAIL = "els.maes@domo.example.org"


@pytest.fixture(scope="module")
def app(tmp_path_factory, idp):
    project = tmp_path_factory.mktemp("project")
    history = f"sqlite:///{project / 'geschiedenis.sqlite3'}"
    with login_app(project, tmp_path_factory.mktemp("home"), idp,
                   BAZ_HISTORY=history) as (url, log):
        yield url, log, history


def _open_quarter_page(browser, url: str) -> None:
    browser.get(f"{url}/kwartaaloverzicht")
    wait_for(browser, lambda d: any(h.startswith("Kwartaaloverzicht") for h in headings(d))
             and "Wie sloot wat af" in text(d))


def test_a_stuurgroep_member_closes_q1_in_the_browser(app, browser, idp):
    url, log, history = app
    log_in(browser, url, idp, STUURGROEP_EMAIL)
    _open_quarter_page(browser, url)
    start = next(b for b in browser.find_elements(By.TAG_NAME, "button")
                 if b.text.strip().endswith("afsluiten…"))
    label = start.text.strip()                     # "Q1 2026 afsluiten…"
    quarter_year = label.removesuffix(" afsluiten…")
    start.click()
    wait_for(browser, lambda d: button(d, f"Ja, {quarter_year} afsluiten") is not None)
    assert "Deze lijnen worden vastgelegd" in text(browser)
    store = HistoryStore(history)
    year = int(quarter_year.split()[1])
    assert hc.closes(store, year).empty             # not before the confirmation
    button(browser, f"Ja, {quarter_year} afsluiten").click()
    wait_for(browser, lambda d: f"{quarter_year} is afgesloten op" in text(d))
    no_exception(browser)
    assert hc.closes(store, year)["closed_by"].tolist() == [STUURGROEP_EMAIL]
    assert f"{quarter_year} heropenen" in text(browser)
    browser.save_screenshot(str(SCREENSHOTS / "kwartaal-afgesloten.png"))
    log_out(browser, url, idp)

    log_in(browser, url, idp, BAZIEL_EMAIL)
    _open_quarter_page(browser, url)
    page = text(browser)
    assert "afgesloten" in page and "heropenen" not in page and "afsluiten…" not in page
    log_out(browser, url, idp)
    assert_clean_log(log)
