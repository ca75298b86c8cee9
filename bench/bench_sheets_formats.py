"""The Sheets read with cell types: requests per refresh, payload and time of each read.

Serves the demo workbook (1 year) and a generated 10-year workbook (about 100,000 hour rows) from
the local Sheets-API test server, with percent and time cells typed in as Google stores them, and
measures per refresh:

- (a) the ``values.batchGet`` of every tab (UNFORMATTED_VALUE) — what one refresh always costs;
- (b) the formats read: one ``spreadsheets.get`` of only the format-sensitive columns
  (Voortgang, Uren, Streefwaarde, Waarde) with the field mask ``effectiveFormat.numberFormat.type``
  (plus title and tab ids);
- (c) for comparison, the whole-tab grid data (``includeGridData=true``) that would also carry
  the formats.

For each: bytes on the wire, wall time of the request (server + client), and the time to parse
the JSON; then a whole ``GoogleSheetsSource.read()`` with the number of API requests it made.
Prints medians over --runs; asserts nothing. The test server is Python, so absolute request times
are the server's; the payload sizes and the parse times are what matter for Google.

    python bench/bench_sheets_formats.py [--years 10] [--runs 3]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from baz_data.cells import Percent  # noqa: E402
from baz_data.demo import build_demo_tabs  # noqa: E402
from baz_data.gsheets import FORMAT_FIELDS, READ_PARAMS, GoogleSheetsSource  # noqa: E402
from baz_data.problems import column_letter  # noqa: E402
from baz_data.sheets_server import SheetsTestServer  # noqa: E402
from baz_data.sources import format_columns  # noqa: E402


def typed(tabs: dict) -> dict:
    """Every tenth Voortgang as a percent cell, every tenth Uren as a time cell."""
    import datetime as dt

    acties, uren = tabs["Acties"], tabs["Uren"]
    p, h = acties[0].index("Voortgang"), uren[0].index("Uren")
    for row in acties[1::10]:
        if len(row) > p and isinstance(row[p], (int, float)):
            row[p] = Percent(row[p] / 100)
    for row in uren[1::10]:
        if isinstance(row[h], (int, float)) and 0 < row[h] < 24:
            minutes = round(row[h] * 60)
            row[h] = dt.time(minutes // 60, minutes % 60)
    return tabs


def timed_get(session, url: str, params) -> tuple[float, int, float]:
    start = time.perf_counter()
    response = session.request("get", url, params=params)
    wall = time.perf_counter() - start
    start = time.perf_counter()
    json.loads(response.content)
    return wall, len(response.content), time.perf_counter() - start


def run(years: int, runs: int) -> None:
    tabs = typed(build_demo_tabs(years=years))
    server = SheetsTestServer().start()
    try:
        info = server.create_account()
        key = server.add_spreadsheet(tabs, title=f"BAZ {years} jaar")
        source = GoogleSheetsSource(key, info, sheets_api_url=server.url)
        raw = source.read()
        http = source.client.http_client
        base = f"{server.url}/v4/spreadsheets/{key}"
        ranges = [(f"'{tab}'!A:Z") for tab in raw.tabs]
        columns = format_columns(raw.tabs)
        format_ranges = [f"'{tab}'!{column_letter(c)}:{column_letter(c)}"
                         for tab, cs in columns.items() for c in sorted(cs)]
        reads = {
            "(a) values.batchGet, alle tabbladen": (
                f"{base}/values:batchGet", {**READ_PARAMS, "ranges": ranges}),
            "(b) spreadsheets.get, alleen opmaaktype": (
                base, {"ranges": format_ranges, "fields": FORMAT_FIELDS}),
            "(c) spreadsheets.get, includeGridData": (
                base, {"ranges": ranges, "includeGridData": "true"}),
        }
        print(f"\n{years} jaar: {len(tabs['Uren']) - 1:,} urenrijen; opmaakkolommen: "
              + ", ".join(format_ranges))
        print(f"  {'lezing':42} {'bytes':>12} {'verzoek s':>10} {'JSON s':>8}")
        for label, (url, params) in reads.items():
            results = [timed_get(http, url, params) for _ in range(runs)]
            wall = statistics.median(r[0] for r in results)
            parse = statistics.median(r[2] for r in results)
            print(f"  {label:42} {results[0][1]:12,d} {wall:10.3f} {parse:8.3f}")
        walls, counts = [], []
        for _ in range(runs):
            server.reset(spreadsheets=False)
            start = time.perf_counter()
            source.read()
            walls.append(time.perf_counter() - start)
            counts.append(server.api_requests())
        print(f"  GoogleSheetsSource.read(): {statistics.median(counts):.0f} API-verzoeken per "
              f"verversing, {statistics.median(walls):.3f} s (mediaan)")
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    for years in sorted({1, args.years}):
        run(years, args.runs)


if __name__ == "__main__":
    main()
