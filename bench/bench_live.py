"""Live: edit-to-screen time, Sheets reads and Drive probes per hour (issue 15).

The demo workbook is served as a Google Sheet by the project's Sheets-API test server (Sheets
and Drive files.get, in this process); a real ``streamlit run app.py`` reads it, and headless
Chromium windows are the viewers, on "Uren per partner" (the first partner's name is in the
subtitle). An edit is a values.update of that name through the Sheets API with the service
account, as a partner's edit in the sheet arrives at Google.

1. **Edit-to-screen** at the real probe interval (``--latency-interval``, default 15 s): ``--edits``
   edits at random moments, each timed from the write until the new name is in the browser.
2. **Reads and probes per hour**, accelerated: the app probes every ``--interval`` seconds
   (default 3 s, i.e. 5 × as often as the 15 s in use; 10 browser windows checking 3 × per
   interval is what a shared 2-core machine keeps up with), for ``--seconds`` seconds with no
   edit and as long with one edit per accelerated minute (60 s / 5 = every 12 s), with 1 and
   with 10 viewers. Counts are scaled to one hour at 15 s: count × 3600 / (seconds × 15 / interval); the
   output says so. A refresh is 2 Sheets requests (values.batchGet + the small formats get).

Prints figures; asserts nothing. Uses Debian's chromium + chromedriver like the browser tests.

    python bench/bench_live.py [--edits 20] [--latency-interval 15] [--interval 3]
                               [--seconds 60] [--sessions 1 10]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from baz_data.gsheets import WRITE_SCOPES, make_client  # noqa: E402
from baz_data.sheets_server import SheetsTestServer  # noqa: E402
from baz_data.sources import DEMO_WORKBOOK, WorkbookSource  # noqa: E402
from tests.browser_support import CHROMEDRIVER, CHROMIUM, streamlit_server  # noqa: E402

REAL_INTERVAL = 15.0
CELL = "Partners!B2"               # the first partner's Naam: the subtitle of Uren per partner
PAGE = "uren_per_partner"


def browser(profile: Path) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                "--disable-backgrounding-occluded-windows", "--lang=nl-BE",
                f"--user-data-dir={profile}", "--window-size=1280,900"):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def text(driver) -> str:
    found = driver.find_elements(By.CSS_SELECTOR, '[data-testid="stApp"]')
    return found[0].text if found else ""


class Edits:
    def __init__(self, server: SheetsTestServer, info: dict, key: str) -> None:
        self.server, self.key, self.n = server, key, 0
        self.client = make_client(info, scopes=WRITE_SCOPES, sheets_api_url=server.url).http_client

    def write(self) -> str:
        self.n += 1
        name = f"ATK bewerking {self.n}"
        self.client.values_update(self.key, CELL, params={"valueInputOption": "USER_ENTERED"},
                                  body={"values": [[name]]})
        return name


def write_secrets(where: Path, server: SheetsTestServer, info: dict, key: str,
                  interval: float) -> None:
    """Open access to the test server's spreadsheet, probing every ``interval`` seconds."""
    settings = {**info, "spreadsheet": key, "sheets_api_url": server.url,
                "probe_interval": interval}
    (where / ".streamlit").mkdir()
    (where / ".streamlit" / "secrets.toml").write_text(
        "allow_open_access = true\n[connections.gsheets]\n"
        + "".join(f"{k} = {json.dumps(v)}\n" for k, v in settings.items()), encoding="utf-8")


@contextmanager
def app(server: SheetsTestServer, info: dict, key: str, interval: float):
    """A streamlit run of the app on the test server's spreadsheet, probing every ``interval``."""
    with tempfile.TemporaryDirectory(prefix="bench-live-") as folder:
        where = Path(folder)
        write_secrets(where, server, info, key, interval)
        env = {k: v for k, v in os.environ.items() if k != "BAZ_WORKBOOK"}
        env["HOME"] = str(where)
        with streamlit_server(where, env) as url:
            yield url, where


def open_viewers(driver, url: str, n: int, profiles: Path) -> list[webdriver.Chrome]:
    """``n`` viewers: this browser and n - 1 more, each its own headless Chromium (windows of one
    browser stalled beyond a few on this machine, as in bench_viewers)."""
    viewers = [driver] + [browser(profiles / f"viewer-{i}") for i in range(1, n)]
    for viewer in viewers:
        viewer.get(f"{url}/{PAGE}")
    for viewer in viewers:
        WebDriverWait(viewer, 300).until(lambda d: "Uren per partner" in text(d))
    return viewers


def wait_for(driver, name: str, seconds: float = 120) -> float:
    started = time.monotonic()
    WebDriverWait(driver, seconds, poll_frequency=0.1).until(lambda d: name in text(d))
    return time.monotonic() - started


def latency(server, info, key, driver, edits: int, interval: float) -> None:
    with app(server, info, key, interval) as (url, _):
        driver.get(f"{url}/{PAGE}")
        WebDriverWait(driver, 300).until(lambda d: "Uren per partner" in text(d))
        writer = Edits(server, info, key)
        server.reset(spreadsheets=False)
        times = []
        for _ in range(edits):
            time.sleep(random.uniform(0, interval))   # edits land at any phase of the probe
            name = writer.write()
            started = time.monotonic()
            WebDriverWait(driver, 120, poll_frequency=0.1).until(lambda d: name in text(d))
            times.append(time.monotonic() - started)
        refreshes = server.counts["batchGet"]
        print(f"1. Van wijziging tot scherm (probe-interval {interval:g} s, {edits} wijzigingen, "
              f"1 browser): mediaan {statistics.median(times):.1f} s, maximum {max(times):.1f} s "
              f"(doel ≤ 30 s); {refreshes} verversingen voor {edits} wijzigingen.")
        print("   per wijziging: " + ", ".join(f"{t:.1f}" for t in times))


def per_hour(count: int, seconds: float, scale: float) -> float:
    return count * 3600 / (seconds * scale)


def rates(server, info, key, driver, sessions: list[int], interval: float,
          seconds: float) -> None:
    scale = REAL_INTERVAL / interval
    print(f"\n2. Per uur, versneld: probe-interval {interval:g} s = {scale:g} × sneller dan "
          f"{REAL_INTERVAL:g} s; {seconds:g} s gemeten per fase telt als {seconds * scale / 60:g} "
          f"minuten; cijfers omgerekend naar één uur bij {REAL_INTERVAL:g} s.")
    for n in sessions:
        with app(server, info, key, interval) as (url, where):
            viewers = open_viewers(driver, url, n, where)
            time.sleep(2 * interval)          # the first load and probe settle
            server.reset(spreadsheets=False)
            time.sleep(seconds)
            quiet = server.counts
            server.reset(spreadsheets=False)
            writer, every, started = Edits(server, info, key), 60.0 / scale, time.monotonic()
            name = None
            while time.monotonic() - started < seconds:
                name = writer.write()
                time.sleep(every)
            busy = server.counts
            lag = [wait_for(viewer, name) for viewer in viewers]  # every viewer followed
            for viewer in viewers[1:]:
                viewer.quit()
        print(f"   {n:2d} kijker(s): zonder wijzigingen {per_hour(quiet['batchGet'], seconds, scale):5.1f} "
              f"verversingen/uur ({per_hour(quiet['batchGet'] + quiet['get'], seconds, scale):.0f} "
              f"Sheets-verzoeken), {per_hour(quiet['drive.files.get'], seconds, scale):5.0f} "
              f"Drive-probes/uur")
        print(f"      met 1 wijziging per minuut ({writer.n} in {seconds:g} s): "
              f"{per_hour(busy['batchGet'], seconds, scale):5.1f} verversingen/uur "
              f"({per_hour(busy['batchGet'] + busy['get'], seconds, scale):.0f} "
              f"Sheets-verzoeken), {per_hour(busy['drive.files.get'], seconds, scale):5.0f} "
              f"Drive-probes/uur; alle {n} kijker(s) toonden de laatste wijziging "
              f"(de laatste na nog {max(lag):.1f} s)")


def apptest_rates(server, info, key, n: int, interval: float, seconds: float) -> None:
    """The same counts with ``n`` AppTest sessions in this process instead of browsers (they
    share st.cache_resource as the sessions of one server do); each session's check is a full
    run, round-robin, as fast as the machine allows."""
    from streamlit.testing.v1 import AppTest

    scale = REAL_INTERVAL / interval
    print(f"\n3. Per uur met AppTest-sessies in één proces, versneld: probe-interval {interval:g} s "
          f"= {scale:g} × sneller dan {REAL_INTERVAL:g} s, {seconds:g} s per fase, omgerekend naar "
          f"één uur bij {REAL_INTERVAL:g} s.")
    with tempfile.TemporaryDirectory(prefix="bench-live-apptest-") as folder:
        where = Path(folder)
        write_secrets(where, server, info, key, interval)
        old = Path.cwd()
        os.chdir(where)
        os.environ["HOME"] = str(where)
        os.environ.pop("BAZ_WORKBOOK", None)
        try:
            sessions = [AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
                        for _ in range(n)]
            writer, results = Edits(server, info, key), []   # (counts, checks, edits)
            for edits in (False, True):
                server.reset(spreadsheets=False)
                started, runs, next_edit = time.monotonic(), 0, time.monotonic()
                while time.monotonic() - started < seconds:
                    if edits and time.monotonic() >= next_edit:
                        writer.write()
                        next_edit += 60.0 / scale
                    for at in sessions:
                        at.run()
                        runs += 1
                results.append((server.counts, runs, writer.n))
                writer.n = 0
        finally:
            os.chdir(old)
    for (counts, runs, edits), label in zip(results, ("zonder wijzigingen",
                                                      "met 1 wijziging per minuut")):
        print(f"   {n:2d} AppTest-sessies, {label} ({edits} in {seconds:g} s): "
              f"{per_hour(counts['batchGet'], seconds, scale):5.1f} verversingen/uur, "
              f"{per_hour(counts['drive.files.get'], seconds, scale):5.0f} Drive-probes/uur "
              f"({runs / n / (seconds / interval):.1f} controles per sessie per interval)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--latency-interval", type=float, default=REAL_INTERVAL)
    parser.add_argument("--interval", type=float, default=3.0)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--sessions", type=int, nargs="*", default=[1, 10])
    parser.add_argument("--skip-latency", action="store_true")
    parser.add_argument("--apptest-sessions", type=int, nargs="*", default=[],
                        help="also count with this many AppTest sessions (no browsers)")
    args = parser.parse_args()

    server = SheetsTestServer().start()
    info = server.create_account()
    key = server.add_spreadsheet(WorkbookSource(DEMO_WORKBOOK).read().tabs, title="BAZ demo")
    with tempfile.TemporaryDirectory(prefix="bench-live-chromium-") as profile:
        driver = browser(Path(profile))
        try:
            print(f"Demowerkboek als Google Sheet op de lokale testserver; streamlit run + "
                  f"headless Chromium, pagina {PAGE}.\n")
            if not args.skip_latency:
                latency(server, info, key, driver, args.edits, args.latency_interval)
            if args.sessions:
                rates(server, info, key, driver, args.sessions, args.interval, args.seconds)
            for n in args.apptest_sessions:
                apptest_rates(server, info, key, n, args.interval, args.seconds)
        finally:
            driver.quit()
            server.stop()


if __name__ == "__main__":
    main()
