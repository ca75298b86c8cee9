"""Requests and wall time per refresh: GoogleSheetsSource vs a naive per-tab gspread read.

Serves the 10-year demo workbook (about 100,000 hour rows) from the local Sheets-API test
server and reads it (a) with GoogleSheetsSource (one values.batchGet per refresh; the first
refresh also fetches the metadata once) and (b) the usual gspread way: ``open_by_key`` and then
``worksheet(tab).get_all_records()`` for every tab. Google allows 60 read requests per minute per
user, so the request count is what decides whether a few page loads a minute hit 429.
Prints figures (medians over --runs); asserts nothing.

    python bench/bench_sheets_requests.py [--years 10] [--runs 3]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from baz_data.demo import build_demo_tabs  # noqa: E402
from baz_data.gsheets import NO_RETRY, GoogleSheetsSource, make_client  # noqa: E402
from baz_data.schema import TAB_NAMES  # noqa: E402
from baz_data.sheets_server import SheetsTestServer  # noqa: E402


def measure(server: SheetsTestServer, fn) -> tuple[float, int, int]:
    """(seconds, Sheets API requests, token requests) of one call."""
    server.reset(spreadsheets=False)
    start = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - start
    counts = server.counts
    return elapsed, server.api_requests(), counts["token"]


def naive_read(info: dict, url: str, key: str) -> dict[str, list[dict]]:
    client = make_client(info, sheets_api_url=url, retry=NO_RETRY)
    book = client.open_by_key(key)
    return {tab: book.worksheet(tab).get_all_records() for tab in TAB_NAMES}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    tabs = build_demo_tabs(years=args.years)
    server = SheetsTestServer().start()
    try:
        info = server.create_account()
        key = server.add_spreadsheet(tabs, title=f"BAZ demo {args.years} jaar")
        rows = sum(len(r) - 1 for r in tabs.values())
        print(f"Demowerkboek {args.years} jaar: {rows:,} rijen in {len(tabs)} tabbladen "
              f"({len(tabs['Uren']) - 1:,} urenrijen), lokale Sheets-API-testserver.\n")

        cold, warm, naive = [], [], []
        for _ in range(args.runs):
            source = GoogleSheetsSource(key, info, sheets_api_url=server.url)
            cold.append(measure(server, source.read))
            warm.append(measure(server, source.read))
            naive.append(measure(server, lambda: naive_read(info, server.url, key)))

        def line(label: str, results: list[tuple[float, int, int]]) -> float:
            seconds = statistics.median(r[0] for r in results)
            api, token = results[-1][1], results[-1][2]
            print(f"  {label:52} {api:3d} API-verzoeken (+{token} token)  {seconds:7.3f} s")
            return seconds

        print(f"Per verversing (mediaan van {args.runs} runs):")
        t_warm = line("GoogleSheetsSource, volgende verversingen", warm)
        t_cold = line("GoogleSheetsSource, eerste verversing", cold)
        t_naive = line("gspread per tabblad (open_by_key + get_all_records)", naive)
        api_naive, api_warm = naive[-1][1], warm[-1][1]
        print(f"\nVerhouding naïef / GoogleSheetsSource: {api_naive / api_warm:.0f}× zoveel "
              f"verzoeken, {t_naive / t_warm:.1f}× zo traag (eerste verversing: "
              f"{t_naive / t_cold:.1f}×).")
        print(f"Met 60 leesverzoeken per minuut: {60 // api_naive} naïeve verversingen per minuut "
              f"tegenover {60 // api_warm} met GoogleSheetsSource.")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
