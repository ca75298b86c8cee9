"""The history as a person sees it (streamlit run + headless Chromium): Weekoverleg's "Wat
veranderde" with the deletion alarm, the progress line on Overzicht, and "Zoals op" — on the
demo with generated history (test_app_history._older, stored the Sunday before the chosen week).
Screenshots go to SCREENSHOTS like the other browser tests.
"""
from __future__ import annotations

import datetime as dt
import os
import time

import pytest

from tests.browser_support import SCREENSHOTS, WIDTH, require_chromium, streamlit_server

require_chromium()

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from baz_data.clock import local_now  # noqa: E402
from baz_data.history.store import HistoryStore  # noqa: E402
from baz_data.metrics import default_peildatum  # noqa: E402
from baz_data.model import build_dataset  # noqa: E402
from baz_data.sources import demo_source  # noqa: E402
from tests.test_app_history import _older  # noqa: E402
from tests.test_browser import _settled, browser, downloads, open_page, screenshot, visible_text  # noqa: E402,F401


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """(url, year, sunday): the older state stored on the Sunday before the default week, the
    demo itself the day after that Monday (or just now)."""
    where = tmp_path_factory.mktemp("history")
    url = f"sqlite:///{where / 'history.sqlite3'}"
    raw = demo_source().read()
    year = build_dataset(raw).years[-1]
    peildatum = default_peildatum(year)
    monday = peildatum - dt.timedelta(days=peildatum.weekday())
    sunday = monday - dt.timedelta(days=1)
    store = HistoryStore(url)
    store.record(_older(raw, year), dt.datetime.combine(sunday, dt.time(12)))
    store.record(raw, min(dt.datetime.combine(monday, dt.time(9)),
                          local_now() - dt.timedelta(minutes=1)))
    store.engine.dispose()
    return url, year, sunday


@pytest.fixture(scope="module")
def server(tmp_path_factory, seeded):
    where = tmp_path_factory.mktemp("streamlit-history")
    env = {k: v for k, v in os.environ.items() if k != "BAZ_WORKBOOK"}
    env.update(HOME=str(where), BAZ_HISTORY=seeded[0])
    with streamlit_server(where, env) as url:
        yield url


def test_weekoverleg_shows_what_changed_and_the_alarm(server, browser, seeded):
    _, year, sunday = seeded
    open_page(browser, server, "weekoverleg")
    text = visible_text(browser)
    assert "Wat veranderde" in text
    assert f"14 urenrijen van DOMO uit maart {year} verdwenen of gewijzigd sinds " \
           f"{sunday:%d/%m/%Y} (28 uur)" in text
    for header in ("Acties gewijzigd", "Rijen per tabblad", "Urenrijen erbij"):
        assert header in text
    assert "Traceback" not in text
    screenshot(browser, "weekoverleg-wat-veranderde")
    # the alarm is at the top: under the title, above the figures, on the first screen of a
    # laptop (1366×768) without scrolling
    browser.set_window_size(1366, 768)
    time.sleep(0.6)
    browser.execute_script("window.scrollTo(0, 0)")
    alarm = next(e for e in browser.find_elements(By.CSS_SELECTOR, '[data-testid="stAlert"]')
                 if "14 urenrijen van DOMO" in e.text)
    first_metric = browser.find_elements(By.CSS_SELECTOR, '[data-testid="stMetric"]')[0]
    title = browser.find_element(By.CSS_SELECTOR, "h1")
    assert title.rect["y"] < alarm.rect["y"] < first_metric.rect["y"]
    assert alarm.rect["y"] + alarm.rect["height"] < 768
    browser.save_screenshot(str(SCREENSHOTS / "weekoverleg-alarm-1366x768.png"))
    browser.set_window_size(WIDTH, 1000)


def test_overzicht_shows_the_progress_line(server, browser, seeded):
    open_page(browser, server, "")
    text = visible_text(browser)
    assert "Voortgang over de tijd" in text
    assert "Voortgang op het einde van elke week vanaf" in text
    assert browser.find_elements(By.CSS_SELECTOR, '[data-testid="stVegaLiteChart"]')
    screenshot(browser, "overzicht-voortgang-over-de-tijd")


def test_zoals_op_shows_the_stored_past(server, browser, seeded):
    _, year, sunday = seeded
    open_page(browser, server, "")
    box = next(b for b in browser.find_elements(
        By.CSS_SELECTOR, '[data-testid="stSidebar"] [data-testid="stDateInput"]')
        if "Zoals op" in b.text)
    # Streamlit's date field is a row of spin buttons (react-aria): type the digits as a person
    # does, then leave the field
    day = box.find_element(By.CSS_SELECTOR, 'span[data-type="day"]')
    day.click()
    day.send_keys(f"{sunday:%d%m%Y}")
    day.send_keys(Keys.ENTER)
    browser.find_element(By.CSS_SELECTOR, "h1").click()
    try:
        WebDriverWait(browser, 60).until(lambda d: f"Zoals op {sunday:%d/%m/%Y}" in visible_text(d)
                                         and _settled(d))
    except Exception:
        screenshot(browser, "onaf-zoals-op")
        raise
    text = visible_text(browser)
    assert f"Zoals op {sunday:%d/%m/%Y}" in text
    assert f"bewaard werden op {sunday:%d/%m/%Y} 12:00" in text
    screenshot(browser, "overzicht-zoals-op")
