"""Live in a real browser (issue 15): `streamlit run app.py` on the demo served as a Google Sheet
by the project's test server (Sheets and Drive files.get); a partner's name is edited through the
Sheets API and headless Chromium sees the page change by itself, without a click, keeping the
viewer's choice (another partner) and scroll position, at one Sheets refresh for the change.
"""
from __future__ import annotations

import json
import os
import time

from tests.browser_support import require_chromium, streamlit_server

require_chromium()

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from baz_data.sources import DEMO_WORKBOOK, WorkbookSource  # noqa: E402
from tests.test_browser import (_settled, browser, downloads, open_page,  # noqa: E402,F401
                                screenshot, visible_text)

PROBE_INTERVAL = 3        # seconds (15 in use; faster here so the test is short)
# The scrolling element of a Streamlit page (the main section; the window on older versions).
SCROLLER = """return [document.querySelector('[data-testid="stMain"]'),
                      document.querySelector('[data-testid="stAppViewContainer"]'),
                      document.scrollingElement].find(e => e && e.scrollHeight > e.clientHeight
                                                       + 50);"""


def write_secrets(where, server, key: str) -> None:
    info = {**server.service_account_info, "spreadsheet": key, "sheets_api_url": server.url,
            "probe_interval": PROBE_INTERVAL}
    (where / ".streamlit").mkdir()
    (where / ".streamlit" / "secrets.toml").write_text(
        "allow_open_access = true\n[connections.gsheets]\n"
        + "".join(f"{k} = {json.dumps(v)}\n" for k, v in info.items()), encoding="utf-8")


def choose(driver, label: str, option: str) -> None:
    box = [b for b in driver.find_elements(By.CSS_SELECTOR, '[data-testid="stSelectbox"]')
           if label in b.text][0]
    box.find_element(By.CSS_SELECTOR, "input, [role=combobox]").click()
    WebDriverWait(driver, 10).until(
        lambda d: [o for o in d.find_elements(By.CSS_SELECTOR, '[role="option"]')
                   if option in o.text])
    [o for o in driver.find_elements(By.CSS_SELECTOR, '[role="option"]')
     if option in o.text][0].click()
    WebDriverWait(driver, 30).until(lambda d: option in visible_text(d) and _settled(d))


def test_an_edit_in_the_sheet_appears_without_a_click(sheets_server, browser, tmp_path):
    key = sheets_server.add_spreadsheet(WorkbookSource(DEMO_WORKBOOK).read().tabs, title="BAZ")
    write_secrets(tmp_path, sheets_server, key)
    env = {k: v for k, v in os.environ.items() if k != "BAZ_WORKBOOK"}
    env["HOME"] = str(tmp_path)
    with streamlit_server(tmp_path, env) as url:
        open_page(browser, url, "uren_per_partner")
        choose(browser, "Partner", "Domo Vlaanderen vzw")          # the viewer's choice
        assert "Live · bijgewerkt om" in visible_text(browser)
        scroller = browser.execute_script(SCROLLER)
        browser.execute_script("arguments[0].scrollTop = 400;", scroller)
        time.sleep(0.5)
        scrolled = browser.execute_script("return arguments[0].scrollTop;", scroller)
        reads = sheets_server.sheets_reads()

        sheets_server.write(key, "Partners!B3", [["Domo Vlaanderen Live"]])  # DOMO's Naam
        edited = time.monotonic()
        WebDriverWait(browser, 30, poll_frequency=0.2).until(
            lambda d: "Domo Vlaanderen Live" in visible_text(d))
        latency = time.monotonic() - edited
        WebDriverWait(browser, 30).until(_settled)
        print(f"\nwijziging zichtbaar na {latency:.1f} s (probe-interval {PROBE_INTERVAL} s)")

        assert latency <= 2 * PROBE_INTERVAL + 5
        assert not browser.find_elements(By.CSS_SELECTOR, '[data-testid="stException"]')
        assert "Uren per partner — DOMO" in visible_text(browser)  # the choice stayed
        after = browser.execute_script("return arguments[0].scrollTop;", scroller)
        assert abs(after - scrolled) < 50, (scrolled, after)       # and the scroll position
        screenshot(browser, "live-na-wijziging")                   # (makes the window tall)
        assert sheets_server.sheets_reads() == reads + 2            # one refresh: values+formats
        time.sleep(2 * PROBE_INTERVAL)                               # nothing changes: no read
        assert sheets_server.sheets_reads() == reads + 2
        assert sheets_server.counts["drive.files.get"] >= 2
