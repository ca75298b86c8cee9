"""Live in the app (app_state's watch, ui.live_status): an edit in the sheet reaches the page by
itself, at one Sheets read per real change; without the Drive API the app works as before and
says why.

The demo workbook is served as a Google Sheet by the project's test server (Sheets and Drive
``files.get``), opened without login, with a fast probe interval. AppTest has no timers: each
``at.run()`` stands for an open page's check (the fragment runs in every full run too).
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from baz_data.sources import DEMO_WORKBOOK, WorkbookSource

from tests.app_support import APP, isolated  # noqa: F401  (fixture)

INTERVAL = 0.3                       # seconds between probes in these tests
NAME = "Deelprojecten!C2"            # the name of DP1 in the demo's current year


def _secrets(server, key: str, **extra) -> None:
    info = {**server.service_account_info, "spreadsheet": key, "sheets_api_url": server.url,
            "probe_interval": INTERVAL, **extra}
    Path(".streamlit").mkdir(exist_ok=True)
    Path(".streamlit/secrets.toml").write_text(
        "allow_open_access = true\n[connections.gsheets]\n"
        + "".join(f"{k} = {json.dumps(v)}\n" for k, v in info.items()), encoding="utf-8")


@pytest.fixture(autouse=True)
def settings_read_afresh():
    """app_state reads the settings once per process; these tests change them."""
    import app_state

    caches = (app_state.cache_ttl, app_state.probe_interval, app_state._cached_load)
    for cache in caches:
        cache.cache_clear()
    yield
    for cache in caches:
        cache.cache_clear()


@pytest.fixture
def key(sheets_server):
    key = sheets_server.add_spreadsheet(WorkbookSource(DEMO_WORKBOOK).read().tabs, title="BAZ")
    _secrets(sheets_server, key)
    return key


def start() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, at.exception
    return at


def page_text(at: AppTest) -> str:
    return " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)


def sidebar_captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.sidebar.caption)


def checks_until(at: AppTest, done, seconds: float = 20) -> float:
    """Run the page's check (a rerun) every tick until ``done(at)``; the seconds it took."""
    started = time.monotonic()
    while not done(at):
        assert time.monotonic() - started < seconds, "de pagina volgde niet binnen de tijd"
        time.sleep(INTERVAL / 3)
        at.run()
        assert not at.exception, at.exception
    return time.monotonic() - started


def test_an_edit_reaches_the_page_at_one_read(sheets_server, key):
    at = start()
    assert "BAZ voor iedereen" in page_text(at)
    assert "Live · bijgewerkt om" in sidebar_captions(at)
    reads = sheets_server.sheets_reads()
    assert reads == 2                                    # values + formats, once
    sheets_server.write(key, NAME, [["BAZ voor iedereen nieuw"]])
    checks_until(at, lambda at: "BAZ voor iedereen nieuw" in page_text(at))
    assert sheets_server.sheets_reads() == reads + 2     # one refresh for one change
    assert at.session_state["baz_year"] and not at.warning


def test_no_edit_costs_no_sheets_read(sheets_server, key):
    at = start()
    held = at.session_state["_baz_held"]
    probes = sheets_server.counts["drive.files.get"]
    for _ in range(8):                                   # ≈ 8 probe intervals
        time.sleep(INTERVAL)
        at.run()
    assert sheets_server.sheets_reads() == 2
    assert sheets_server.counts["drive.files.get"] - probes >= 4
    assert at.session_state["_baz_held"].ds is held.ds   # the same data, nothing recomputed


def test_a_new_version_with_the_same_content_changes_nothing(sheets_server, key):
    at = start()
    ds = at.session_state["_baz_held"].ds
    sheets_server.touch(key)                             # e.g. a cell's colour: a new version
    checks_until(at, lambda at: sheets_server.sheets_reads() == 4)
    for _ in range(3):
        time.sleep(INTERVAL)
        at.run()
    assert at.session_state["_baz_held"].ds is ds
    assert sheets_server.sheets_reads() == 4             # read once, and not again


def test_a_second_viewer_follows_without_probing_again(sheets_server, key):
    one, two = start(), start()
    sheets_server.write(key, NAME, [["Samen verder"]])
    checks_until(one, lambda at: "Samen verder" in page_text(at))
    checks_until(two, lambda at: "Samen verder" in page_text(at))
    assert sheets_server.sheets_reads() == 4             # one read for both viewers
    assert one.session_state["_baz_held"].ds is two.session_state["_baz_held"].ds


def test_a_failed_read_after_a_change_keeps_the_data_with_its_age(sheets_server, key):
    at = start()
    fetched = at.session_state["_baz_held"].ds.info.fetched_at
    sheets_server.fail(503, times=None, kinds=["batchGet"])
    sheets_server.write(key, NAME, [["Onzichtbaar"]])
    checks_until(at, lambda at: at.warning)
    notice = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "storing (HTTP 503)" in notice and f"je ziet de gegevens van {fetched:%H:%M}" in notice
    assert "Onzichtbaar" not in page_text(at) and "BAZ voor iedereen" in page_text(at)
    sheets_server.reset(spreadsheets=False)              # Google is back
    checks_until(at, lambda at: "Onzichtbaar" in page_text(at) and not at.warning, seconds=45)


def test_without_the_drive_api_the_app_reads_by_its_cache_time_and_says_why(sheets_server, key):
    _secrets(sheets_server, key, cache_ttl=1)
    sheets_server.disable_drive()
    at = start()
    assert "BAZ voor iedereen" in page_text(at) and not at.warning
    said = sidebar_captions(at).replace("\\", "")     # shown escaped
    assert "Niet live" in said and "Google Drive API staat niet aan" in said
    assert "APIs & Services → Library → Google Drive API → Enable" in said
    assert "elke seconde opnieuw" in said                 # the cache time of these settings
    sheets_server.write(key, NAME, [["Toch bijgewerkt"]])
    took = checks_until(at, lambda at: "Toch bijgewerkt" in page_text(at))  # by the cache time
    # Not probed every interval (0,3 s), only once per cache time (1 s) and before each read.
    assert sheets_server.counts["drive.files.get"] <= 2 + 2 * (took + 1.5)
    assert sheets_server.counts["drive.files.get"] < (took + 1.5) / INTERVAL


def test_the_demo_is_not_followed():
    at = start()
    assert "Live" not in sidebar_captions(at) and "Niet live" not in sidebar_captions(at)
