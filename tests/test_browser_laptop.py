"""Every page at laptop size (1366 × 768, sidebar open) in headless Chromium: nothing clipped.

`streamlit run app.py` reads the demo workbook as a Google Sheet from the local Sheets test
server (baz_data.sheets_server), so Datakwaliteit has its links to the cells. On every page:
the page and its main block do not scroll sideways; every table shows all its columns (its grid
does not scroll sideways and ends inside the window); no text is cut off with an ellipsis
(metric labels and figures, the period box). Each page is photographed as laptop-<page>.png
into SCREENSHOTS.
"""
from __future__ import annotations

import json
import os

import pytest

from tests.browser_support import require_chromium, streamlit_server

require_chromium()

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from baz_data.sources import DEMO_WORKBOOK, WorkbookSource  # noqa: E402
from tests.test_browser import (PAGES, _settled, browser, downloads, open_page,  # noqa: E402,F401
                                screenshot)

LAPTOP = (1366, 768)

# What the page draws that does not fit, measured in the browser: the page's and the main
# block's sideways overflow, every grid (its headers from the grid's accessible table, its
# sideways and upright overflow, its right edge), and every text cut off with an ellipsis.
MEASURE = """
const main = document.querySelector('[data-testid="stMainBlockContainer"]');
const root = document.documentElement;
// a grid in a closed expander is not drawn (no scroller): nothing to measure
const grids = [...main.querySelectorAll('[data-testid="stDataFrame"]')]
  .filter(g => g.querySelector('.dvn-scroller')).map(g => {
  const s = g.querySelector('.dvn-scroller');
  return {headers: [...g.querySelectorAll('th')].map(t => t.textContent),
          cells: [...g.querySelectorAll('tbody tr:first-child td')].map(t => t.textContent),
          scrollWidth: s.scrollWidth, clientWidth: s.clientWidth,
          scrollHeight: s.scrollHeight, clientHeight: s.clientHeight,
          right: g.getBoundingClientRect().right};
});
const clipped = [...main.querySelectorAll('*')].filter(e =>
  getComputedStyle(e).textOverflow === 'ellipsis' && e.scrollWidth > e.clientWidth + 1
  && !e.closest('[data-testid="stDataFrame"]')).map(e => e.textContent);
return JSON.stringify({innerWidth: window.innerWidth, page: [root.scrollWidth, root.clientWidth],
                       main: [main.scrollWidth, main.clientWidth], grids, clipped});
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory, _sheets_server_session):
    """The app on the demo workbook served by the Sheets test server, without login
    (allow_open_access), from an empty folder with an empty HOME."""
    where = tmp_path_factory.mktemp("streamlit-laptop")
    sheets = _sheets_server_session
    key = sheets.add_spreadsheet(WorkbookSource(DEMO_WORKBOOK).read().tabs, title="BAZ")
    info = {**sheets.service_account_info, "spreadsheet": key, "sheets_api_url": sheets.url}
    (where / ".streamlit").mkdir()
    (where / ".streamlit" / "secrets.toml").write_text(
        "allow_open_access = true\n[connections.gsheets]\n"
        + "".join(f"{k} = {json.dumps(v)}\n" for k, v in info.items()), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "BAZ_WORKBOOK"}
    env["HOME"] = str(where)
    with streamlit_server(where, env) as url:
        yield url


@pytest.fixture
def laptop(browser):
    browser.set_window_size(*LAPTOP)
    yield browser


def measure(driver) -> dict:
    return json.loads(driver.execute_script(MEASURE))


def misfits(found: dict) -> list[str]:
    """Everything that does not fit, in words."""
    width, out = found["innerWidth"], []
    if found["page"][0] > found["page"][1]:
        out.append(f"de pagina schuift opzij {found['page']}")
    if found["main"][0] > found["main"][1]:
        out.append(f"het hoofdblok schuift opzij {found['main']}")
    for grid in found["grids"]:
        if grid["scrollWidth"] > grid["clientWidth"]:
            out.append(f"tabel {grid['headers']} toont niet alle kolommen ({grid['scrollWidth']} px "
                       f"breed in {grid['clientWidth']} px)")
        if grid["right"] > width:
            out.append(f"tabel {grid['headers']} loopt uit het venster")
    out += [f"afgekapte tekst '{text}'" for text in found["clipped"]]
    return out


def assert_fits(found: dict, where: str) -> None:
    problems = misfits(found)
    assert not problems, f"{where}: " + "; ".join(problems)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p or "overzicht")
def test_every_page_fits_a_laptop(server, laptop, path):
    open_page(laptop, server, path)
    assert not laptop.find_elements(By.CSS_SELECTOR, '[data-testid="stException"]')
    found = measure(laptop)
    assert found["innerWidth"] == LAPTOP[0]
    assert found["grids"] or path in ("doelstellingen",), f"{path}: geen tabel gemeten"
    assert_fits(found, path or "overzicht")
    screenshot(laptop, f"laptop-{path or 'overzicht'}", *LAPTOP)


def test_datakwaliteit_shows_the_link_first_within_the_window(server, laptop):
    open_page(laptop, server, "datakwaliteit")
    grids = measure(laptop)["grids"]
    assert grids and grids[0]["headers"][:2] == ["Link", "Ernst"]
    link, cell = grids[0]["cells"][0], grids[0]["cells"][grids[0]["headers"].index("Cel")]
    assert link.startswith("https://docs.google.com/spreadsheets/d/") and link.endswith(f"range={cell}")
    assert grids[0]["right"] <= LAPTOP[0] and grids[0]["scrollWidth"] <= grids[0]["clientWidth"]


def test_weekoverleg_shows_the_hours_per_person_without_an_inner_scrollbar(server, laptop):
    """Up to 25 people fit in the table itself (the demo has about 20 in a week)."""
    open_page(laptop, server, "weekoverleg")
    people = [g for g in measure(laptop)["grids"] if g["headers"] == ["Partner", "Medewerker", "Uren"]]
    assert people, "geen tabel met uren per medewerker"
    assert people[0]["scrollHeight"] <= people[0]["clientHeight"], people[0]
    assert people[0]["clientHeight"] > 8 * 35 + 38  # more than the eight rows it had


def test_an_open_goal_fits_a_laptop(server, laptop):
    """The actions of a goal: Te laat as 'ja'/'–' in a table that shows all its columns."""
    open_page(laptop, server, "doelstellingen")
    laptop.find_element(By.CSS_SELECTOR, '[data-testid="stExpander"] summary').click()
    WebDriverWait(laptop, 30).until(
        lambda d: _settled(d) and any("Te laat" in g["headers"] for g in measure(d)["grids"]))
    found = measure(laptop)
    actions = next(g for g in found["grids"] if "Te laat" in g["headers"])
    assert actions["cells"][actions["headers"].index("Te laat")] in ("ja", "–")
    assert_fits(found, "doelstellingen, open")
    screenshot(laptop, "laptop-doelstellingen-open", *LAPTOP)
