"""Page benchmark: AppTest run time of every page, cold and warm, per workbook.

    python bench/bench_pages.py                 # bundled demo + a generated 10-year workbook
    python bench/bench_pages.py --runs 9 --workbook /tmp/baz10.xlsx

Each workbook is measured in a fresh Python process, so "cold" is what the first visitor after a
restart waits for: imports, reading and validating the workbook, and drawing the Overzicht page.
"Cold, imports done" clears Streamlit's caches and runs again (a Vernieuwen or a TTL expiry).
"Warm" is the median of N reruns of a page with the data cached (a viewer changing a filter).
Targets (10-year data, 2 cores): every page < 0.5 s warm, cold < 3 s. Prints; asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["overzicht", "weekoverleg", "kwartaaloverzicht", "uren_per_partner", "doelstellingen",
         "datakwaliteit"]
TIMEOUT = 120


def measure(workbook: str | None, runs: int) -> dict:
    """In this (fresh) process: cold first run, cold with imports done, warm per page."""
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    if workbook:
        os.environ["BAZ_WORKBOOK"] = workbook
    else:
        os.environ.pop("BAZ_WORKBOOK", None)
    start = time.perf_counter()
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    result = {"cold": time.perf_counter() - start, "pages": {}}
    assert not at.exception, at.exception

    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()  # the shared Dataset lives here (app_state)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    start = time.perf_counter()
    at.run()
    result["cold_imported"] = time.perf_counter() - start

    for page in PAGES:
        at.switch_page(f"app_pages/{page}.py")
        start = time.perf_counter()
        at.run()
        first = time.perf_counter() - start
        assert not at.exception, (page, at.exception)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - start)
        result["pages"][page] = {"first": first, "warm": statistics.median(times)}
    return result


def run_in_subprocess(workbook: str | None, runs: int) -> dict:
    args = [sys.executable, __file__, "--one", "--runs", str(runs)]
    if workbook:
        args += ["--workbook", workbook]
    out = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, check=False)
    if out.returncode:
        raise SystemExit(f"benchmark of {workbook or 'demo'} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def ten_year_workbook() -> str:
    path = Path(tempfile.gettempdir()) / "baz10.xlsx"
    if not path.exists():
        from baz_data.demo import generate

        generate(path, years=10)
    return str(path)


def print_table(results: dict[str, dict]) -> None:
    names = list(results)
    cell = "{:>16}"
    print("\n" + " " * 26 + "".join(f"{n:>32}" for n in names))
    print(" " * 26 + "".join(cell.format("eerste run") + cell.format("warm (mediaan)") for _ in names))
    for label, key in (("koud (nieuw proces)", "cold"), ("koud (imports gedaan)", "cold_imported")):
        print(f"{label:26}" + "".join(cell.format(f"{results[n][key]:.3f} s") + " " * 16 for n in names))
    for page in PAGES:
        print(f"{page:26}" + "".join(
            cell.format(f"{results[n]['pages'][page]['first']:.3f} s")
            + cell.format(f"{results[n]['pages'][page]['warm']:.3f} s") for n in names))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="warm runs per page (median)")
    parser.add_argument("--workbook", help="measure only this workbook")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.workbook, args.runs)))
        return
    sys.path.insert(0, str(ROOT))
    workbooks = {args.workbook: args.workbook} if args.workbook else \
        {"demo (ingebouwd)": None, "10 jaar": ten_year_workbook()}
    results = {name: run_in_subprocess(path, args.runs) for name, path in workbooks.items()}
    print_table(results)


if __name__ == "__main__":
    main()
