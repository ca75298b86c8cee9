"""The real login round trip: `streamlit run app.py` with `[auth]` pointing at a small OIDC
provider on localhost (tests/oidc_provider.py), driven by headless Chromium.

The app runs in a temporary project directory (cwd) with its own `.streamlit/secrets.toml` and
an empty HOME, so no real secrets are read and nothing reaches Google; without a spreadsheet it
reads the bundled demo workbook, whose Gebruikers tab has a partner user per partner. A partner
logs in, sees only its own organisation, cannot open another page by URL, and logs out; an
unknown e-mail, or a known one the provider does not mark as verified, gets "Geen toegang" and no
data. A link to a page opened before login (e.g. from a mail) opens that page after login, when
the role may see it. The server's log must stay clean through all of it: no traceback, not even one the browser
never shows (a logout used to log a KeyError on every data page).
"""
from __future__ import annotations

import contextlib
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.browser_support import (CHROMEDRIVER, CHROMIUM, ROOT, SCREENSHOTS, WIDTH, free_port,
                                   require_chromium, stop, wait_healthy)
from tests.oidc_provider import NO_CLAIM, OIDCProvider

require_chromium()

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from baz_data import access, reports  # noqa: E402
from baz_data.escaping import WORD_JOINER  # noqa: E402
from baz_data.formatting import fmt_hours, fmt_money  # noqa: E402
from baz_data.model import load_dataset  # noqa: E402
from baz_data.sources import demo_source  # noqa: E402

PARTNER_EMAIL, PARTNER = "baz@domo.example.org", "DOMO"
STUURGROEP_EMAIL = "rik.geerts@atk.example.org"
PARTNER_NAV = ["Overzicht", "Begrotingsevaluatie", "Uren per partner"]
CLIENT_ID = "baz-dashboard-test"
CLIENT_SECRET = secrets.token_urlsafe(24)   # distinctive: must never show up on screen
COOKIE_SECRET = secrets.token_urlsafe(32)


@pytest.fixture(scope="module")
def idp():
    with OIDCProvider(client_id=CLIENT_ID, client_secret=CLIENT_SECRET) as provider:
        yield provider


@contextlib.contextmanager
def login_app(project: Path, home: Path, idp, **env_extra: str):
    """`streamlit run app.py` in ``project`` with [auth] pointing at the test provider; yields
    (url, log). The log never holds a secret (checked when the app stops)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    (project / ".streamlit").mkdir()
    (project / ".streamlit" / "secrets.toml").write_text(
        "[auth]\n"
        f'redirect_uri = "{url}/oauth2callback"\n'
        f'cookie_secret = "{COOKIE_SECRET}"\n'
        f'client_id = "{CLIENT_ID}"\n'
        f'client_secret = "{CLIENT_SECRET}"\n'
        f'server_metadata_url = "{idp.metadata_url}"\n', encoding="utf-8")
    log = project / "streamlit.log"
    env = {k: v for k, v in os.environ.items() if k != "BAZ_WORKBOOK"}
    env.update(HOME=str(home), STREAMLIT_BROWSER_GATHER_USAGE_STATS="false", **env_extra)
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
             "--server.headless", "true", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.fileWatcherType", "none"],
            cwd=project, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_healthy(url, process)
        yield url, log
    finally:
        stop(process)
        text = log.read_text(encoding="utf-8", errors="replace")
        assert CLIENT_SECRET not in text and COOKIE_SECRET not in text, "geheim in de log"
        print(f"\nstreamlit-log: {log}")


@pytest.fixture(scope="module")
def app(tmp_path_factory, idp):
    """The app with [auth] pointing at the test provider, in a temporary project directory."""
    with login_app(tmp_path_factory.mktemp("project"), tmp_path_factory.mktemp("home"),
                   idp) as running:
        yield running


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_window_size(WIDTH, 1000)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def demo():
    return load_dataset(demo_source())


# -- helpers --------------------------------------------------------------------------------------
def _settled(driver) -> bool:
    app = driver.find_elements(By.CSS_SELECTOR, '[data-testid="stApp"]')
    return bool(app) and app[0].get_attribute("data-test-script-state") == "notRunning" and \
        not driver.find_elements(By.CSS_SELECTOR, '[data-testid="stSpinner"], [data-testid="stSkeleton"]')


def _safely(check):
    """A check that is simply False while the page is being replaced (login/logout redirects)."""
    def safe(driver) -> bool:
        try:
            return bool(check(driver))
        except WebDriverException:
            return False
    return safe


def wait_for(driver, condition, seconds: float = 60) -> None:
    WebDriverWait(driver, seconds).until(_safely(lambda d: _settled(d) and condition(d)))
    time.sleep(0.3)
    WebDriverWait(driver, 30).until(_safely(_settled))


def text(driver) -> str:
    return driver.find_element(By.TAG_NAME, "body").text


def button(driver, label: str):
    found = driver.find_elements(By.XPATH, f"//button[normalize-space(.)='{label}' or "
                                           f".//p[normalize-space(.)='{label}']]")
    return found[0] if found else None


def headings(driver) -> list[str]:
    return [h.text.strip() for h in driver.find_elements(By.CSS_SELECTOR, "h1")]


def nav_links(driver) -> list[str]:
    """The labels of the page menu (the icon's ligature name is text too: take the last line)."""
    return [a.text.strip().splitlines()[-1] for a in
            driver.find_elements(By.CSS_SELECTOR, '[data-testid="stSidebarNav"] a') if a.text.strip()]


def no_exception(driver) -> None:
    assert not driver.find_elements(By.CSS_SELECTOR, '[data-testid="stException"]')


def assert_clean_log(log) -> None:
    """Nothing went wrong on the server, even where the browser shows nothing."""
    text = log.read_text(encoding="utf-8", errors="replace")
    found = [word for word in ("Traceback", "KeyError", "Exception") if word in text]
    assert not found, f"{found} in de serverlog:\n{text[-3000:]}"


def log_in(driver, url: str, idp: OIDCProvider, email: str, email_verified: object = True) -> None:
    idp.login_as(email, email_verified=email_verified)
    driver.get(url)
    wait_for(driver, lambda d: button(d, "Aanmelden") is not None)
    assert "Meld je aan" in text(driver)
    button(driver, "Aanmelden").click()
    wait_for(driver, lambda d: button(d, "Afmelden") is not None)


def log_out(driver, url: str, idp: OIDCProvider) -> None:
    logouts = idp.logouts
    button(driver, "Afmelden").click()
    wait_for(driver, lambda d: button(d, "Aanmelden") is not None)
    assert idp.logouts == logouts + 1  # through the provider's end_session_endpoint
    driver.get(url)                     # the login cookie is gone: still logged out
    wait_for(driver, lambda d: button(d, "Aanmelden") is not None)
    assert button(driver, "Afmelden") is None


# -- the round trips ------------------------------------------------------------------------------
def test_before_login_there_is_only_the_login_screen(app, browser):
    url, _ = app
    for path in ("", "weekoverleg", "uren_per_partner"):
        browser.get(f"{url}/{path}")
        wait_for(browser, lambda d: button(d, "Aanmelden") is not None)
        no_exception(browser)
        assert headings(browser) == ["BAZ-dashboard"]
        assert not browser.find_elements(By.CSS_SELECTOR, '[data-testid="stMetric"]')
        assert PARTNER not in text(browser)
    browser.save_screenshot(str(SCREENSHOTS / "login-aanmelden.png"))


def test_a_partner_logs_in_sees_only_its_own_partner_and_logs_out(app, browser, idp, demo):
    url, _ = app
    log_in(browser, url, idp, PARTNER_EMAIL)
    no_exception(browser)
    assert idp.issued[-1]["email"] == PARTNER_EMAIL
    assert ("POST", "/token") in idp.requests
    # (the address is escaped Markdown: an invisible word joiner keeps it from becoming a link)
    sidebar = browser.find_element(By.CSS_SELECTOR, '[data-testid="stSidebar"]').text \
        .replace(WORD_JOINER, "")
    assert f"Partner {PARTNER}" in sidebar and PARTNER_EMAIL in sidebar
    assert nav_links(browser) == PARTNER_NAV
    assert headings(browser)[0] == "Overzicht"
    browser.save_screenshot(str(SCREENSHOTS / "login-partner-overzicht.png"))

    role = access.resolve_role(demo, PARTNER_EMAIL)
    mine = access.visible_dataset(demo, role)
    year = max(demo.years)
    others = demo.partners[demo.partners["code"] != PARTNER]
    page = text(browser)
    for name in others["name"]:
        assert name not in page

    # Uren per partner: locked to DOMO, with DOMO's figures.
    browser.get(f"{url}/uren_per_partner")
    wait_for(browser, lambda d: any("Uren per partner" in h for h in headings(d)))
    no_exception(browser)
    report = reports.partner_report(mine, PARTNER, year)
    page = text(browser)
    assert f"Uren per partner — {PARTNER}" in headings(browser)[0]
    assert fmt_hours(report.totals.hours) in page
    assert fmt_money(report.totals.amount) in page
    full = reports.partner_report(demo, PARTNER, year)
    assert (report.totals.hours, report.totals.amount) == (full.totals.hours, full.totals.amount)
    for name in others["name"]:
        assert name not in page
    choice = browser.find_element(By.CSS_SELECTOR, '[data-testid="stMain"] [data-testid="stSelectbox"]')
    name = demo.partners.set_index("code").loc[PARTNER, "name"]
    field = choice.find_element(By.CSS_SELECTOR, "input")
    assert field.get_attribute("value") == f"{PARTNER} — {name}"
    assert field.get_attribute("disabled") is not None    # locked: nothing else to choose
    browser.save_screenshot(str(SCREENSHOTS / "login-partner-uren.png"))

    # Begrotingsevaluatie: its own lines only (issue 14).
    browser.get(f"{url}/begrotingsevaluatie")
    wait_for(browser, lambda d: any("Begrotingsevaluatie" in h for h in headings(d)))
    no_exception(browser)
    page = text(browser)
    assert PARTNER in page
    for name in others["name"]:
        assert name not in page
    browser.save_screenshot(str(SCREENSHOTS / "login-partner-begrotingsevaluatie.png"))

    # Other pages are not reachable by URL.
    for path in ("weekoverleg", "kwartaaloverzicht", "doelstellingen", "datakwaliteit"):
        browser.get(f"{url}/{path}")
        wait_for(browser, lambda d: bool(headings(d)))
        no_exception(browser)
        title = path.replace("_", " ").capitalize()
        assert not any(h.startswith(title) for h in headings(browser)), path
        assert nav_links(browser) == PARTNER_NAV
        assert headings(browser)[0] == "Overzicht"   # Streamlit falls back to the default page

    page = text(browser)
    browser.get(url)   # (closes Streamlit's "page not found" dialog)
    wait_for(browser, lambda d: button(d, "Afmelden") is not None)
    assert CLIENT_SECRET not in page and COOKIE_SECRET not in page
    log_out(browser, url, idp)
    assert_clean_log(app[1])


def test_an_unknown_email_gets_geen_toegang_and_no_data(app, browser, idp, demo):
    url, _ = app
    log_in(browser, url, idp, "vreemde@example.org")
    no_exception(browser)
    assert headings(browser) == ["Geen toegang"]
    page = text(browser)
    assert "vreemde@example.org" in page
    for contact in access.access_contacts(demo):
        assert contact in page
    assert not browser.find_elements(By.CSS_SELECTOR, '[data-testid="stMetric"]')
    assert nav_links(browser) == []
    for name in demo.partners["name"]:
        assert name not in page
    browser.save_screenshot(str(SCREENSHOTS / "login-geen-toegang.png"))
    browser.get(f"{url}/overzicht")
    wait_for(browser, lambda d: bool(headings(d)))
    assert headings(browser) == ["Geen toegang"]
    assert not browser.find_elements(By.CSS_SELECTOR, '[data-testid="stMetric"]')
    browser.get(url)   # (closes Streamlit's "page not found" dialog)
    wait_for(browser, lambda d: button(d, "Afmelden") is not None)
    log_out(browser, url, idp)
    assert_clean_log(app[1])


@pytest.mark.parametrize("verified", [NO_CLAIM, "FALSE"], ids=["missing", "text-FALSE"])
def test_a_known_email_the_provider_does_not_verify_gets_no_data(app, browser, idp, demo, verified):
    """The partner's own address, but from a provider that does not vouch for it (Entra ID
    sends no email_verified): anyone could have registered it there."""
    url, log = app
    log_in(browser, url, idp, PARTNER_EMAIL, email_verified=verified)
    no_exception(browser)
    assert headings(browser) == ["Geen toegang"]
    page = text(browser)
    assert PARTNER_EMAIL in page and "niet bevestigd" in page
    assert not browser.find_elements(By.CSS_SELECTOR, '[data-testid="stMetric"]')
    assert nav_links(browser) == []
    for name in demo.partners["name"]:
        assert name not in page
    log_out(browser, url, idp)
    assert_clean_log(log)


def dialogs(driver) -> list[str]:
    return [d.text for d in driver.find_elements(By.CSS_SELECTOR, '[role="dialog"]')]


def test_a_link_opened_before_login_opens_that_page_after_login(app, browser, idp):
    """Streamlit's login always returns to the root; the tab remembers the page (app_access)."""
    url, log = app
    idp.login_as(STUURGROEP_EMAIL)
    browser.get(f"{url}/kwartaaloverzicht")
    wait_for(browser, lambda d: button(d, "Aanmelden") is not None)
    assert browser.current_url == f"{url}/kwartaaloverzicht"  # kept, without "Page not found"
    assert dialogs(browser) == []
    assert browser.execute_script("return document.documentElement.lang") == "nl-BE"
    button(browser, "Aanmelden").click()
    wait_for(browser, lambda d: any(h.startswith("Kwartaaloverzicht") for h in headings(d)))
    no_exception(browser)
    assert browser.current_url == f"{url}/kwartaaloverzicht" and dialogs(browser) == []
    assert browser.execute_script("return document.documentElement.lang") == "nl-BE"
    browser.save_screenshot(str(SCREENSHOTS / "login-diepe-link.png"))
    log_out(browser, url, idp)

    # Once only: a later login from the root starts on Overzicht again.
    log_in(browser, url, idp, STUURGROEP_EMAIL)
    time.sleep(1)
    assert headings(browser)[0] == "Overzicht" and browser.current_url.rstrip("/") == url
    log_out(browser, url, idp)

    # A page the role may not open: Overzicht, as for a typed address, and no dialog.
    idp.login_as(PARTNER_EMAIL)
    browser.get(f"{url}/kwartaaloverzicht")
    wait_for(browser, lambda d: button(d, "Aanmelden") is not None)
    button(browser, "Aanmelden").click()
    wait_for(browser, lambda d: button(d, "Afmelden") is not None and bool(headings(d)))
    time.sleep(1)
    assert headings(browser)[0] == "Overzicht" and dialogs(browser) == []
    assert nav_links(browser) == PARTNER_NAV
    log_out(browser, url, idp)
    assert_clean_log(log)
