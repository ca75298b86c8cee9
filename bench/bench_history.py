"""The history store, measured: a demo replayed as weekly snapshots with realistic edits (new
hours each week, status and progress changes, a few corrections and deletions of older hour
rows), on SQLite and on PostgreSQL. Prints per backend: database size, time per snapshot
(changed and unchanged), time of "what changed" over a week and of an "as of" load. Asserts
nothing.

    python bench/bench_history.py [--years 1] [--weeks 0] [--backend both]

``--weeks 0`` replays every week of the demo; ``--weeks N`` seeds the state of N weeks before
the end as one snapshot and replays the last N weeks (10 years: 520 weekly snapshots of up to
100.000 hour rows take long on a shared machine; the database holds the same rows either way,
minus N's share of corrected versions and layouts).
"""
from __future__ import annotations

import argparse
import copy
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from baz_data.demo import generate  # noqa: E402
from baz_data.history.source import SnapshotSource, changes_between  # noqa: E402
from baz_data.history.store import HistoryStore  # noqa: E402
from baz_data.model import build_dataset  # noqa: E402
from baz_data.sources import DEMO_WORKBOOK, RawWorkbook, SourceInfo, WorkbookSource  # noqa: E402


def _as_date(value):
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def weekly_states(raw: RawWorkbook, weeks: int, seed: int = 7):
    """(moment, RawWorkbook) per week: hours dated up to that week, statuses moving on, and each
    week 2 corrected and (every 4th week) 3 deleted older hour rows."""
    rng = random.Random(seed)
    uren = raw.tabs["Uren"]
    header, body = uren[0], uren[1:]
    dates = [_as_date(r[0]) if r else None for r in body]
    known = sorted(d for d in dates if d)
    first, last = known[0], known[-1]
    mondays = []
    day = first - dt.timedelta(days=first.weekday())
    while day <= last:
        mondays.append(day)
        day += dt.timedelta(days=7)
    if weeks:
        mondays = mondays[-(weeks + 1):]
    acties = raw.tabs["Acties"]
    status = [str(h) for h in acties[0]].index("Status")
    progress = [str(h) for h in acties[0]].index("Voortgang")
    hours_col = [str(h) for h in header].index("Uren")
    deleted: set[int] = set()
    corrected: dict[int, float] = {}
    for k, monday in enumerate(mondays):
        end = monday + dt.timedelta(days=6)
        if k:   # the week's edits in the shared sheet
            older = [i for i, d in enumerate(dates) if d and d < monday - dt.timedelta(days=30)]
            for i in rng.sample(older, min(2, len(older))):
                corrected[i] = float(rng.choice([1, 1.5, 2, 3.5, 4]))
            if k % 4 == 0 and len(older) >= 3:
                deleted.update(rng.sample(older, 3))
        rows = [header]
        for i, (row, d) in enumerate(zip(body, dates)):
            if d is None or d > end or i in deleted:
                continue
            if i in corrected:
                row = list(row)
                row[hours_col] = corrected[i]
            rows.append(row)
        tabs = dict(raw.tabs)
        tabs["Uren"] = rows
        actions = copy.copy(acties)
        for j in rng.sample(range(1, len(acties)), min(3, len(acties) - 1)) if k else []:
            actions[j] = list(actions[j])
            actions[j][status] = rng.choice(["Lopend", "Afgerond", "Uitgesteld"])
            actions[j][progress] = rng.choice([25, 50, 75, 100])
        acties = actions
        tabs["Acties"] = actions
        yield dt.datetime.combine(end, dt.time(18)), RawWorkbook(tabs, SourceInfo(
            "workbook", "bench", dt.datetime.combine(end, dt.time(18))))


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def db_size(store: HistoryStore, url: str) -> int:
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    with store.engine.connect() as conn:
        return conn.exec_driver_sql("SELECT pg_database_size(current_database())").scalar()


def bench(url: str, raw: RawWorkbook, weeks: int) -> None:
    store = HistoryStore(url)
    changed, moments = [], []
    for moment, state in weekly_states(raw, weeks):
        _, seconds = timed(lambda: store.record(state, moment))
        changed.append(seconds)
        moments.append(moment)
    seed_time, changed = changed[0], changed[1:] or changed
    _, unchanged = timed(lambda: store.record(state, moment + dt.timedelta(hours=1)))
    since = moments[-2] - dt.timedelta(hours=1) if len(moments) > 1 else moments[0]
    _, t_changes = timed(lambda: changes_between(store, since, moments[-1]))
    mid = moments[len(moments) // 2]
    _, t_as_of = timed(lambda: build_dataset(SnapshotSource(store, mid).read()))
    _, t_read = timed(lambda: SnapshotSource(store, mid).read())
    rows = len(state.tabs["Uren"]) - 1
    print(f"  {store.engine.dialect.name}: {len(moments)} momentopnamen, {rows:,} urenrijen op "
          f"het einde, database {db_size(store, url) / 2**20:.1f} MiB")
    print(f"    eerste momentopname {seed_time:.2f} s; gewijzigd mediaan "
          f"{statistics.median(changed):.2f} s (max {max(changed):.2f} s); ongewijzigd "
          f"{unchanged:.2f} s")
    print(f"    wat veranderde (1 week) {t_changes:.2f} s; zoals op (lezen) {t_read:.2f} s, "
          f"(lezen + model) {t_as_of:.2f} s")
    store.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--years", type=int, default=1)
    parser.add_argument("--weeks", type=int, default=0)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = DEMO_WORKBOOK
        if args.years > 1:
            path = Path(tmp) / f"demo-{args.years}.xlsx"
            generate(path, years=args.years)
        raw = WorkbookSource(path).read()
        print(f"{path.name}: {len(raw.tabs['Uren']) - 1:,} urenrijen, "
              f"{'alle weken' if not args.weeks else f'de laatste {args.weeks} weken'}")
        if args.backend in ("sqlite", "both"):
            bench(f"sqlite:///{tmp}/history.sqlite3", raw, args.weeks)
        if args.backend in ("postgresql", "both"):
            from tests.postgres_server import fresh_database, running_postgres

            with running_postgres() as server:
                bench(fresh_database(server), raw, args.weeks)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
