"""Time each stage of the data core (read, validate+model, metrics) on the bundled demo workbook
and on a generated 10-year workbook (about 100,000 hour rows). Prints medians; asserts nothing.

    python bench/bench_core.py [--runs 5] [--years 10]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from baz_data import metrics  # noqa: E402
from baz_data.demo import generate  # noqa: E402
from baz_data.model import build_dataset  # noqa: E402
from baz_data.sources import DEMO_WORKBOOK, WorkbookSource  # noqa: E402


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def bench(path: Path, runs: int) -> dict[str, float]:
    times: dict[str, list[float]] = {"read": [], "validate": [], "metrics": [], "total": []}
    for _ in range(runs):
        raw, t_read = timed(WorkbookSource(path).read)
        ds, t_validate = timed(lambda: build_dataset(raw))
        year = max(ds.years)
        _, t_metrics = timed(lambda: metrics.summary(ds, year))
        for key, value in (("read", t_read), ("validate", t_validate), ("metrics", t_metrics),
                           ("total", t_read + t_validate + t_metrics)):
            times[key].append(value)
    rows = len(raw.tabs.get("Uren", [])) - 1
    print(f"{path.name}: {rows:,} urenrijen, {runs} runs (median / min, seconds)")
    for key, values in times.items():
        print(f"  {key:9} {statistics.median(values):7.3f} / {min(values):7.3f}")
    return {k: statistics.median(v) for k, v in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args()
    small = bench(DEMO_WORKBOOK, args.runs)
    with tempfile.TemporaryDirectory() as tmp:
        big_path = Path(tmp) / f"baz-{args.years}y.xlsx"
        _, t_gen = timed(lambda: generate(big_path, years=args.years))
        print(f"(generated {big_path.name} in {t_gen:.1f} s)")
        big = bench(big_path, args.runs)
    print(f"ratio total {args.years} years / demo: {big['total'] / small['total']:.1f}x")


if __name__ == "__main__":
    main()
