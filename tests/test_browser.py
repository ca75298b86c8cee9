"""The app as a person sees it: `streamlit run app.py` and headless Chromium (Debian's, nl-BE).

One Streamlit process and one browser for the whole module. Each page is opened, checked for
an exception box and its Dutch headings, and photographed into SCREENSHOTS (git-ignored) so a
developer can look at them. Downloads land in a temp folder and are opened.
"""
from __future__ import annotations

import io
import os
import shutil
import time
from pathlib import Path

import pytest

from tests.browser_support import (CHROMEDRIVER, CHROMIUM, SCREENSHOTS, WIDTH, require_chromium,
                                   streamlit_server)

require_chromium()

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import TimeoutException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

# url path ("" is the default page, Overzicht) -> headings that must be on the page
PAGES = {
    "": ["Overzicht", "Vroege signalen", "Deelprojecten", "Partners", "Uren per maand"],
    "weekoverleg": ["Weekoverleg", "Vroege signalen", "Te laat",
                    "Deadline in de komende twee weken", "Uren in de afgelopen week"],
    "kwartaaloverzicht": ["Kwartaaloverzicht", "Deelprojecten", "Indicatoren"],
    "uren_per_partner": ["Uren per partner", "Per kwartaal", "Per medewerker"],
    "doelstellingen": ["Doelstellingen"],
    "datakwaliteit": ["Datakwaliteit"],
    "begrotingsevaluatie": ["Begrotingsevaluatie", "Per deelproject en post",
                            "Per partner en deelproject", "Uren tegenover het budget",
                            "Ontwerpbegroting"],
}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on a free localhost port, on the bundled demo workbook.

    It runs from an empty folder with an empty HOME, so no secrets.toml is found (nothing reaches
    Google); the settings of .streamlit/config.toml are passed on the command line instead.
    """
    where = tmp_path_factory.mktemp("streamlit")
    env = {k: v for k, v in os.environ.items() if k != "BAZ_WORKBOOK"}
    env["HOME"] = str(where)
    with streamlit_server(where, env) as url:
        yield url


@pytest.fixture(scope="module")
def downloads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(tmp_path_factory, downloads):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--lang=nl-BE",
                f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
                f"--window-size={WIDTH},1000"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {
        "intl.accept_languages": "nl-BE",
        "download.default_directory": str(downloads),
        "download.prompt_for_download": False,
    })
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior",
                           {"behavior": "allow", "downloadPath": str(downloads)})
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()
    print(f"\nschermafdrukken: {SCREENSHOTS}")


def _settled(driver) -> bool:
    """The script finished and nothing is still loading."""
    app = driver.find_elements(By.CSS_SELECTOR, '[data-testid="stApp"]')
    return bool(app) and app[0].get_attribute("data-test-script-state") == "notRunning" and \
        not driver.find_elements(By.CSS_SELECTOR, '[data-testid="stSpinner"], [data-testid="stSkeleton"]')


def open_page(driver, url: str, path: str) -> None:
    driver.get(f"{url}/{path}")
    try:
        WebDriverWait(driver, 60).until(
            lambda d: d.find_elements(By.CSS_SELECTOR, "h1") and _settled(d))
    except TimeoutException:
        screenshot(driver, f"onaf-{path or 'overzicht'}")
        raise
    time.sleep(0.5)  # let charts finish drawing
    WebDriverWait(driver, 30).until(_settled)


def screenshot(driver, name: str, width: int = WIDTH, height: int = 1000) -> Path:
    """The whole page at ``width``: make the window as tall as the content, photograph it, and
    give the window back its ``width`` × ``height``."""
    height_needed = driver.execute_script(
        "return Math.max(...['stMain', 'stSidebarContent'].map(id => "
        "(document.querySelector(`[data-testid=\"${id}\"]`) || {scrollHeight: 0}).scrollHeight));")
    driver.set_window_size(width, min(max(height_needed + 160, 900), 8000))
    time.sleep(0.4)
    path = SCREENSHOTS / f"{name}.png"
    driver.save_screenshot(str(path))
    driver.set_window_size(width, height)
    return path


def visible_text(driver) -> str:
    return driver.find_element(By.CSS_SELECTOR, '[data-testid="stApp"]').text


@pytest.mark.parametrize("path", list(PAGES), ids=lambda p: p or "overzicht")
def test_page_renders_in_dutch(server, browser, path):
    open_page(browser, server, path)
    assert not browser.find_elements(By.CSS_SELECTOR, '[data-testid="stException"]'), \
        browser.find_element(By.CSS_SELECTOR, '[data-testid="stException"]').text
    assert not browser.find_elements(By.CSS_SELECTOR, '[role="dialog"]'), "onverwacht venster"
    text = visible_text(browser)
    for heading in PAGES[path]:
        assert heading in text, f"'{heading}' ontbreekt op {path}"
    for english in ("Traceback", "Error", "NaN", "nan%", "None", "Running..."):
        assert english not in text, f"'{english}' op {path}"
    assert "Demodata" in text  # the sidebar says which source this is
    screenshot(browser, path or "overzicht")


def _wait_for_download(folder: Path, suffix: str, seconds: float = 60) -> Path:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        done = [p for p in folder.glob(f"*{suffix}") if p.stat().st_size > 0]
        if done and not list(folder.glob("*.crdownload")):
            return done[0]
        time.sleep(0.3)
    raise TimeoutError(f"geen {suffix}-bestand gedownload in {folder}")


def _click_download(driver, label: str) -> None:
    buttons = [b for b in driver.find_elements(By.CSS_SELECTOR, '[data-testid="stDownloadButton"] button')
               if label in b.text]
    assert buttons, f"geen downloadknop '{label}'"
    buttons[0].click()


@pytest.fixture(scope="module")
def demo_filters():
    """The demo data and the filters the app starts with (this year or the latest, today)."""
    from baz_data.metrics import default_peildatum, default_year
    from baz_data.model import load_dataset
    from baz_data.sources import demo_source

    ds = load_dataset(demo_source())
    year = default_year(ds.years)
    return ds, year, default_peildatum(year)


def _clear(folder: Path) -> None:
    for old in folder.glob("*"):
        old.unlink() if old.is_file() else shutil.rmtree(old)


def test_quarter_downloads_open_with_the_figures(server, browser, downloads, demo_filters):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    from baz_data.reports import formatted, quarter_report

    ds, year, peildatum = demo_filters
    report = quarter_report(ds, year, (peildatum.month - 1) // 3 + 1, peildatum)
    _clear(downloads)
    open_page(browser, server, "kwartaaloverzicht")
    _click_download(browser, "PDF")
    pdf = _wait_for_download(downloads, ".pdf")
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert report.title in text and report.subtitle in text
    dp1 = formatted(report.hours).iloc[0]
    assert dp1["Uren cumulatief"] in text and dp1["Vergoed cumulatief"] in text

    _click_download(browser, "Excel")
    xlsx = _wait_for_download(downloads, ".xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.read_bytes()), read_only=True)["Deelprojecten"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = rows[0]
    first = dict(zip(header, rows[1]))
    assert first["Deelproject"] == report.subprojects["Deelproject"].iloc[0]
    assert first["Acties"] == report.subprojects["Acties"].iloc[0]


def test_partner_statement_downloads_with_the_amounts(server, browser, downloads, demo_filters):
    from openpyxl import load_workbook

    from baz_data.reports import partner_report

    ds, year, _ = demo_filters
    partner = ds.partners["code"].iloc[0]  # the page starts with the first partner
    report = partner_report(ds, partner, year)
    _clear(downloads)
    open_page(browser, server, "uren_per_partner")
    _click_download(browser, "CSV")
    csv_text = _wait_for_download(downloads, ".csv").read_text(encoding="utf-8-sig")
    assert csv_text.count("\n") >= len(report.statement) + 1
    assert ";" in csv_text.splitlines()[0]
    _click_download(browser, "Excel")
    xlsx = _wait_for_download(downloads, ".xlsx")
    rows = list(load_workbook(io.BytesIO(xlsx.read_bytes()), read_only=True).worksheets[0]
                .iter_rows(values_only=True))
    amounts = [r[-1] for r in rows if r and r[0] == year]
    assert len(amounts) == len(report.statement)
    assert round(sum(amounts) * 100) == int(report.statement["Bedrag"].sum())


def test_sidebar_navigation_by_click(server, browser):
    """A person clicks through the navigation rather than typing URLs."""
    open_page(browser, server, "")
    links = [a for a in browser.find_elements(By.CSS_SELECTOR, '[data-testid="stSidebarNavLink"]')
             if a.text.strip().endswith("Weekoverleg")]
    assert links, "geen link 'Weekoverleg' in de navigatie"
    links[0].click()
    try:
        WebDriverWait(browser, 30).until(
            lambda d: any(h.text.startswith("Weekoverleg") for h in d.find_elements(By.CSS_SELECTOR, "h1")))
    except TimeoutException:
        pytest.fail("klikken op 'Weekoverleg' opende de pagina niet")
    assert "/weekoverleg" in browser.current_url


def test_goal_drill_down_opens(server, browser):
    """Opening a goal shows its actions and indicators."""
    open_page(browser, server, "doelstellingen")
    browser.find_element(By.CSS_SELECTOR, '[data-testid="stExpander"] summary').click()
    WebDriverWait(browser, 30).until(lambda d: "Indicatoren" in visible_text(d) and _settled(d))
    text = visible_text(browser)
    assert "Communicatie, effectmeting en lessons learned" in text  # (grids draw on a canvas)
    time.sleep(0.5)
    screenshot(browser, "doelstellingen-open")


def test_no_streamlit_english_that_a_setting_can_remove(server, browser):
    """README, "Engels van Streamlit": no main menu, no table "Download as CSV", lang nl-BE;
    what no setting removes is listed there. Also photographed at 1366×768."""
    open_page(browser, server, "kwartaaloverzicht")
    assert browser.execute_script("return document.documentElement.lang") == "nl-BE"
    assert not browser.find_elements(By.CSS_SELECTOR, '[data-testid="stMainMenu"]')
    labels = {b.get_attribute("aria-label") for b in browser.find_elements(
        By.CSS_SELECTOR, '[data-testid="stElementToolbar"] button')}
    assert "Search" in labels  # the toolbars are there (on a canvas table), only without export
    assert "Download as CSV" not in labels
    for english in ("Deploy", "Rerun", "Clear cache", "Record a screencast"):
        assert english not in browser.page_source, english
    browser.set_window_size(1366, 768)
    time.sleep(0.4)
    browser.save_screenshot(str(SCREENSHOTS / "kwartaaloverzicht-1366.png"))
    browser.set_window_size(WIDTH, 1000)


def test_draft_budget_downloads_as_the_begroting_tab(server, browser, downloads, demo_filters):
    """Begrotingsevaluatie: the draft's Excel holds the Begroting headers (+ Opmerking) and the
    draft lines as baz_data checked them; also photographed at 1366×768."""
    from openpyxl import load_workbook

    from baz_data import evaluation
    from baz_data.draft_budget import DRAFT_COLUMNS

    ds, year, peildatum = demo_filters
    ev = evaluation.budget_evaluation(ds, year, peildatum)
    check = ev.draft_check(None, ds.partners, ds.subprojects)
    _clear(downloads)
    open_page(browser, server, "begrotingsevaluatie")
    assert f"Ontwerpbegroting {year + 1}" in visible_text(browser)
    _click_download(browser, "Excel")
    xlsx = _wait_for_download(downloads, ".xlsx")
    assert xlsx.name == f"ontwerpbegroting-{year + 1}.xlsx"
    rows = [list(r) for r in load_workbook(io.BytesIO(xlsx.read_bytes()), read_only=True)
            ["Begroting"].iter_rows(values_only=True)]
    assert rows[0] == DRAFT_COLUMNS
    assert rows[1:] == check.cells
    _click_download(browser, "CSV")
    csv_text = _wait_for_download(downloads, ".csv").read_text(encoding="utf-8-sig")
    assert csv_text.splitlines()[0] == ";".join(DRAFT_COLUMNS)
    browser.set_window_size(1366, 768)
    try:
        time.sleep(0.5)
        browser.save_screenshot(str(SCREENSHOTS / "begrotingsevaluatie-ontwerp-1366x768.png"))
        browser.execute_script("document.querySelectorAll('[data-testid=\"stMain\"], "
                               "[data-testid=\"stAppViewContainer\"]').forEach(e => "
                               "e.scrollTo(0, 0)); window.scrollTo(0, 0);")
        time.sleep(0.5)
        browser.save_screenshot(str(SCREENSHOTS / "begrotingsevaluatie-1366x768.png"))
    finally:
        browser.set_window_size(WIDTH, 1000)
