"""Viewers benchmark (issue 11): memory per extra viewer on ten years of data, and after they leave.

    python bench/bench_viewers.py                          # 8 AppTest sessions, 5 browsers, 60 s idle
    python bench/bench_viewers.py --sessions 3 --browsers 2 --idle 20 --workbook /tmp/baz10.xlsx
    python bench/bench_viewers.py --idle 150 --ttl 30      # watch disconnected sessions expire

1. AppTest: in ONE fresh Python process, N sessions (each its own AppTest of app.py that visits
   every page) are kept alive; the process's resident memory (VmRSS after gc.collect()) is taken
   after the first session and after each extra one. Prints MiB per extra session (median of the
   increments, and (last - first) / (N - 1)). Shared data (st.cache_resource) is not counted again.
2. A real `streamlit run app.py` (as tests/test_browser.py starts it): K headless Chromium
   browsers, kept open, each open every page by URL (each URL load is a new Streamlit session;
   the previous one disconnects). The server's RSS (with any child processes) is sampled every
   0.5 s: baseline after the first page, after each browser, peak, then after closing all
   browsers, during --idle seconds, and after one more short visit (the storage of disconnected
   sessions drops expired ones only when something is written to it, see README).
Disconnected sessions live server.disconnectedSessionTTL seconds (printed; --ttl overrides it).
Workbook: --workbook, else /tmp/baz10.xlsx (made once with baz_data.demo.generate, 10 years).
Prints; asserts nothing. Bounded by --timeout; streamlit and browsers are stopped in `finally`.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["overzicht", "weekoverleg", "kwartaaloverzicht", "uren_per_partner", "doelstellingen",
         "datakwaliteit"]
URLS = ["" if p == "overzicht" else p for p in PAGES]   # overzicht is the default page: "/"
MIB = 1024 * 1024
TTL_OPTION = "server.disconnectedSessionTTL"


def rss(pid: int | str = "self") -> int:
    """Resident memory in bytes (VmRSS), 0 when the process is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def tree_rss(pid: int) -> int:
    """RSS of pid and all its descendants (streamlit normally has none)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents[int(stat.parent.name)] = int(fields[1])
        except (OSError, IndexError, ValueError):
            continue
    family, todo = {pid}, [pid]
    while todo:
        parent = todo.pop()
        kids = [p for p, pp in parents.items() if pp == parent and p not in family]
        family.update(kids)
        todo += kids
    return sum(rss(p) for p in family)


# -- 1. AppTest sessions in one process ----------------------------------------------------------
def apptest_sessions(workbook: str, sessions: int) -> dict:
    """Runs in a fresh process: RSS after each kept-alive AppTest session (all pages visited)."""
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    os.environ["BAZ_WORKBOOK"] = workbook
    from streamlit.testing.v1 import AppTest

    gc.collect()
    before = rss()
    alive, after, seconds = [], [], []
    for _ in range(sessions):
        start = time.perf_counter()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()
        for page in PAGES:
            at.switch_page(f"app_pages/{page}.py").run()
            if at.exception:
                raise SystemExit(f"{page}: {at.exception}")
        alive.append(at)
        seconds.append(time.perf_counter() - start)
        gc.collect()
        after.append(rss())
    return {"before": before, "after": after, "seconds": seconds}


def run_apptest(workbook: str, sessions: int, timeout: float) -> dict:
    args = [sys.executable, __file__, "--one", "--sessions", str(sessions), "--workbook", workbook]
    out = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, timeout=timeout,
                         check=False)
    if out.returncode:
        raise SystemExit(f"AppTest-deel mislukt:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- 2. a real server and headless browsers ------------------------------------------------------
class Sampler(threading.Thread):
    """Samples the server's RSS every `every` seconds, each sample labelled with the phase."""

    def __init__(self, pid: int, every: float = 0.5):
        super().__init__(daemon=True)
        self.pid, self.every, self.phase = pid, every, "start"
        self.samples: list[tuple[float, str, int]] = []
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.samples.append((time.monotonic(), self.phase, tree_rss(self.pid)))
            self.done.wait(self.every)

    def now(self) -> int:
        value = tree_rss(self.pid)
        self.samples.append((time.monotonic(), self.phase, value))
        return value


def server_settings(ttl: int | None) -> tuple[list[str], str]:
    """Flags from .streamlit/config.toml (as tests/test_browser.py) and the TTL in effect."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    if ttl is not None:
        config.setdefault("server", {})["disconnectedSessionTTL"] = ttl
    flags = [f"--{section}.{name}={value}".replace("True", "true").replace("False", "false")
             for section, values in config.items() for name, value in values.items()]
    value = config.get("server", {}).get("disconnectedSessionTTL")
    if ttl is not None:
        return flags, f"{value} s (--ttl)"
    if value is not None:
        return flags, f"{value} s (.streamlit/config.toml)"
    from streamlit import config as st_config

    return flags, f"{st_config.get_option(TTL_OPTION)} s (standaard van Streamlit)"


def new_browser(profile: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    from tests.browser_support import CHROMEDRIVER, CHROMIUM, WIDTH

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--lang=nl-BE",
                f"--user-data-dir={profile}", f"--window-size={WIDTH},1000"):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def open_page(driver, url: str) -> float:
    """Load a page and wait until its script ran and nothing is loading (as test_browser)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    def settled(d) -> bool:
        app = d.find_elements(By.CSS_SELECTOR, '[data-testid="stApp"]')
        return bool(app) and bool(d.find_elements(By.CSS_SELECTOR, "h1")) and \
            app[0].get_attribute("data-test-script-state") == "notRunning" and not \
            d.find_elements(By.CSS_SELECTOR, '[data-testid="stSpinner"], [data-testid="stSkeleton"]')

    start = time.perf_counter()
    driver.get(url)
    WebDriverWait(driver, 180).until(settled)
    time.sleep(0.5)  # charts finish drawing
    WebDriverWait(driver, 60).until(settled)
    if errors := driver.find_elements(By.CSS_SELECTOR, '[data-testid="stException"]'):
        print(f"   ! foutmelding op {url}: {errors[0].text[:200]}", file=sys.stderr)
    return time.perf_counter() - start


def real_server(workbook: str, browsers: int, idle: float, ttl: int | None) -> dict:
    from tests.browser_support import free_port, stop, wait_healthy

    flags, ttl_text = server_settings(ttl)
    where = Path(tempfile.mkdtemp(prefix="bench-viewers-"))
    env = {**os.environ, "BAZ_WORKBOOK": workbook, "HOME": str(where),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = open(where / "streamlit.log", "wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), *flags,
         "--server.headless=true", f"--server.port={port}", "--server.address=127.0.0.1",
         "--server.fileWatcherType=none"], cwd=where, env=env, stdout=log, stderr=subprocess.STDOUT)
    sampler, drivers, out = Sampler(process.pid), [], {"ttl": ttl_text, "log": str(where)}
    try:
        wait_healthy(url, process)
        sampler.start()
        out["started"] = sampler.now()
        drivers.append(new_browser(where / "profile-0"))
        out["first_page_s"] = open_page(drivers[0], f"{url}/")
        out["baseline"] = sampler.now()
        out["per_browser"], load_times = [], []
        sampler.phase = "browsers"
        for i in range(browsers):
            if i:
                drivers.append(new_browser(where / f"profile-{i}"))
            load_times += [open_page(drivers[i], f"{url}/{path}") for path in URLS]
            out["per_browser"].append(sampler.now())
        out["page_load_median_s"] = statistics.median(load_times)
        for driver in drivers:
            driver.quit()
        drivers.clear()
        sampler.phase, closed = "idle", time.monotonic()
        out["closed"] = sampler.now()
        while time.monotonic() - closed < idle:
            time.sleep(0.5)
        out["settled"] = sampler.now()
        sampler.phase = "poke"
        drivers.append(new_browser(where / "profile-poke"))
        open_page(drivers[0], f"{url}/")
        drivers.pop().quit()
        time.sleep(5)
        out["after_poke"] = sampler.now()
    finally:
        sampler.done.set()
        for driver in drivers:
            driver.quit()
        stop(process)
        log.close()
    out["peak"] = max((s[2] for s in sampler.samples), default=0)
    out["idle"] = [(round(t - closed), v) for t, phase, v in sampler.samples if phase == "idle"]
    out["samples"] = len(sampler.samples)
    return out


# -- report --------------------------------------------------------------------------------------
def mib(value: float) -> str:
    return f"{value / MIB:8.1f} MiB"


def print_apptest(result: dict) -> None:
    after = result["after"]
    steps = [b - a for a, b in zip(after, after[1:])]
    print(f"\n1. AppTest: {len(after)} sessies in één proces, elk alle {len(PAGES)} pagina's")
    print(f"   {'voor de eerste sessie (imports)':42}{mib(result['before'])}")
    for i, (value, secs) in enumerate(zip(after, result["seconds"]), 1):
        extra = f"  ({(value - after[i - 2]) / MIB:+.1f})" if i > 1 else ""
        print(f"   {f'na sessie {i} ({secs:.1f} s)':42}{mib(value)}{extra}")
    if steps:
        print(f"   {'per extra sessie, mediaan':42}{mib(statistics.median(steps))}")
        print(f"   {'per extra sessie, (laatste-eerste)/(N-1)':42}{mib((after[-1] - after[0]) / len(steps))}")


def print_server(result: dict, idle: float) -> None:
    print(f"\n2. streamlit run + headless Chromium   ({TTL_OPTION} = {result['ttl']})")
    print(f"   {'server gestart, nog geen bezoeker':42}{mib(result['started'])}")
    print(f"   {'basis: na de eerste pagina (koud)':42}{mib(result['baseline'])}"
          f"   ({result['first_page_s']:.1f} s)")
    per = result["per_browser"]
    for i, value in enumerate(per, 1):
        label = f"na browser {i} (alle pagina's geopend)"
        print(f"   {label:42}{mib(value)}")
    if len(per) > 1:
        steps = [b - a for a, b in zip(per, per[1:])]
        print(f"   {'per extra browser, mediaan':42}{mib(statistics.median(steps))}")
    print(f"   {'laadtijd per pagina, mediaan':42}{result['page_load_median_s']:8.2f} s")
    print(f"   {'piek':42}{mib(result['peak'])}")
    print(f"   {'alle browsers dicht':42}{mib(result['closed'])}")
    marks = sorted({0, *range(10, int(idle) + 1, 10)})
    for mark in marks:
        near = [v for t, v in result["idle"] if t <= mark]
        if near:
            print(f"   {f'  {mark:>3} s na sluiten':42}{mib(near[-1])}")
    print(f"   {f'na {idle:.0f} s rust (settled)':42}{mib(result['settled'])}")
    print(f"   {'na één nieuwe korte bezoeker (+5 s)':42}{mib(result['after_poke'])}")
    print(f"   ({result['samples']} metingen; streamlit-log in {result['log']})")


def ten_year_workbook() -> str:
    path = Path(tempfile.gettempdir()) / "baz10.xlsx"
    if not path.exists():
        from baz_data.demo import generate

        generate(path, years=10)
    return str(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=8, help="AppTest sessions (N)")
    parser.add_argument("--browsers", type=int, default=5, help="headless browsers (K)")
    parser.add_argument("--idle", type=float, default=60, help="seconds to watch after closing")
    parser.add_argument("--ttl", type=int, help=f"override {TTL_OPTION} for this run")
    parser.add_argument("--workbook", help="default: /tmp/baz10.xlsx (made if missing)")
    parser.add_argument("--timeout", type=float, default=1200, help="whole run, seconds")
    parser.add_argument("--skip-apptest", action="store_true")
    parser.add_argument("--skip-server", action="store_true")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(apptest_sessions(args.workbook, args.sessions)))
        return
    sys.path.insert(0, str(ROOT))
    signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(TimeoutError("--timeout")))
    signal.alarm(int(args.timeout))  # raises TimeoutError: `finally` stops server and browsers
    deadline = time.monotonic() + args.timeout
    workbook = args.workbook or ten_year_workbook()
    print(f"werkboek: {workbook} ({Path(workbook).stat().st_size / MIB:.1f} MiB)")
    if not args.skip_apptest:
        print_apptest(run_apptest(workbook, args.sessions, deadline - time.monotonic()))
    if not args.skip_server:
        print_server(real_server(workbook, args.browsers, args.idle, args.ttl), args.idle)
    signal.alarm(0)


if __name__ == "__main__":
    main()
