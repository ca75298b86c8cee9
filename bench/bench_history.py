"""The history store, measured: a demo replayed as weekly snapshots with realistic edits (new
hours each week, status and progress changes, a few corrections and deletions of older hour
rows), on SQLite and on PostgreSQL. Prints per backend: database size, time per snapshot
(changed and unchanged), time of "what changed" over a week and of an "as of" load, and what a
refresh pays for history: the extra time of ``HistoryStore.record`` (what ``app_state._load``
adds through ``_record``) for an unchanged workbook and for one with a week of edits, as the
median of ``--runs`` runs and as a ratio to the load without history (read the workbook with
its content revision + build the Dataset, median of ``--runs``). Asserts nothing.

    python bench/bench_history.py [--years 1] [--weeks 0] [--backend both]
                                  [--part both|overhead|replay] [--runs 7]

``--weeks 0`` replays every week of the demo; ``--weeks N`` seeds the state of N weeks before
the end as one snapshot and replays the last N weeks. The overhead part seeds the state
``--runs`` weeks before the end and records each of those weeks, then the last state ``--runs``
times again; the replay repeats the measurement on the store the whole replay built.
"""
from __future__ import annotations

import argparse
import contextlib
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
from baz_data.formatting import fmt_number  # noqa: E402
from baz_data.history.source import SnapshotSource, changes_between  # noqa: E402
from baz_data.history.store import HistoryStore  # noqa: E402
from baz_data.model import build_dataset, load_dataset  # noqa: E402
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


def num(value: float, decimals: int = 2) -> str:
    return fmt_number(value, decimals, fixed=True)


def thousands(value: int) -> str:
    return fmt_number(value, 0)


def db_size(store: HistoryStore, url: str) -> int:
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    with store.engine.connect() as conn:
        return conn.exec_driver_sql("SELECT pg_database_size(current_database())").scalar()


def baseline(path: Path, runs: int) -> float:
    """Median time of what app_state._load does without history: read the workbook (with its
    content revision) and build the Dataset."""
    return statistics.median(timed(lambda: load_dataset(WorkbookSource(path)))[1]
                             for _ in range(runs))


def extra(label: str, times: list[float], load: float) -> str:
    med = statistics.median(times)
    return (f"{label}: mediaan +{num(med)} s over {len(times)} keer (min {num(min(times))}, max "
            f"{num(max(times))}), {fmt_number(100 * med / load, 0)} % van de lading zonder "
            f"geschiedenis; verhouding {num((load + med) / load)}")


def replay(url: str, raw: RawWorkbook, weeks: int, load: float, runs: int) -> None:
    """Every week as one snapshot, then the reads a weekly meeting and "zoals op" make."""
    store = HistoryStore(url)
    changed, moments = [], []
    started = time.perf_counter()
    for moment, state in weekly_states(raw, weeks):
        _, seconds = timed(lambda: store.record(state, moment))
        changed.append(seconds)
        moments.append(moment)
        if len(moments) % 52 == 0:
            hours = thousands(len(state.tabs["Uren"]) - 1)
            print(f"    … {len(moments)} weken, {hours} urenrijen, "
                  f"{num(time.perf_counter() - started, 0)} s", flush=True)
    seed_time, changed = changed[0], changed[1:] or changed
    unchanged = [timed(lambda: store.record(state, moment + dt.timedelta(hours=1)))[1]
                 for _ in range(runs)]
    since = moments[-2] - dt.timedelta(hours=1) if len(moments) > 1 else moments[0]
    _, t_changes = timed(lambda: changes_between(store, since, moments[-1]))
    mid = moments[len(moments) // 2]
    _, t_as_of = timed(lambda: build_dataset(SnapshotSource(store, mid).read()))
    _, t_read = timed(lambda: SnapshotSource(store, mid).read())
    _, t_as_of_end = timed(lambda: build_dataset(SnapshotSource(store, moments[-1]).read()))
    rows = len(state.tabs["Uren"]) - 1
    print(f"  {store.engine.dialect.name}: {len(moments)} momentopnamen in "
          f"{num(time.perf_counter() - started, 0)} s, {thousands(rows)} urenrijen op het "
          f"einde, database {num(db_size(store, url) / 2**20, 1)} MiB")
    last = changed[-10:]
    print(f"    eerste momentopname {num(seed_time)} s; gewijzigd mediaan "
          f"{num(statistics.median(changed))} s (max {num(max(changed))} s, de laatste "
          f"{len(last)} weken mediaan {num(statistics.median(last))} s)")
    print(f"    wat veranderde (1 week) {num(t_changes)} s; zoals op halverwege (lezen) "
          f"{num(t_read)} s, (lezen + model) {num(t_as_of)} s; zoals op het einde (lezen + model) "
          f"{num(t_as_of_end)} s")
    print("    " + extra("vernieuwen zonder wijziging na de hele reeks", unchanged, load))
    print("    " + extra(f"vernieuwen met een week wijzigingen (de laatste {len(last)} weken)",
                         last, load))
    store.engine.dispose()


def overhead(url: str, raw: RawWorkbook, load: float, runs: int) -> None:
    """What a refresh pays for history (app_state._record = HistoryStore.record): a store
    holding the state ``runs`` weeks before the end, then each of those weeks recorded (one
    week of edits each), then the last state ``runs`` times again (unchanged)."""
    states = list(weekly_states(raw, runs))
    _, t_open = timed(lambda: HistoryStore(url))
    store = HistoryStore(url)
    moment, state = states[0]
    store.record(state, moment)
    week = []
    for moment, state in states[1:]:
        week.append(timed(lambda: store.record(state, moment))[1])
    same = [timed(lambda: store.record(state, moment + dt.timedelta(hours=1)))[1]
            for _ in range(runs)]
    print(f"  {store.engine.dialect.name} (meerkost van de geschiedenis bij vernieuwen; eerste "
          f"opening van de database in een proces {num(t_open)} s):")
    print("    " + extra("ongewijzigd werkboek", same, load))
    print("    " + extra("werkboek met een week wijzigingen", week, load))
    store.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--years", type=int, default=1)
    parser.add_argument("--weeks", type=int, default=0)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--part", choices=["replay", "overhead", "both"], default="both")
    parser.add_argument("--runs", type=int, default=7, help="herhalingen voor een mediaan")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = DEMO_WORKBOOK
        if args.years > 1:
            path = Path(tmp) / f"demo-{args.years}.xlsx"
            generate(path, years=args.years)
        raw = WorkbookSource(path).read()
        load = baseline(path, args.runs)
        print(f"{path.name}: {thousands(len(raw.tabs['Uren']) - 1)} urenrijen; lading zonder "
              f"geschiedenis (lezen + revisie + model, mediaan van {args.runs}) {num(load)} s; "
              f"belasting {num(os.getloadavg()[0])}", flush=True)
        with contextlib.ExitStack() as stack:
            urls = []
            if args.backend in ("sqlite", "both"):
                urls.append(lambda part: f"sqlite:///{tmp}/history-{part}.sqlite3")
            if args.backend in ("postgresql", "both"):
                from tests.postgres_server import fresh_database, running_postgres

                server = stack.enter_context(running_postgres())
                urls.append(lambda part: fresh_database(server))
            for make in urls:
                if args.part in ("overhead", "both"):
                    overhead(make("overhead"), raw, load, args.runs)
                if args.part in ("replay", "both"):
                    print("  reeks: " + ("alle weken" if not args.weeks
                                         else f"de laatste {args.weeks} weken"), flush=True)
                    replay(make("replay"), raw, args.weeks, load, args.runs)
        print(f"belasting op het einde {num(os.getloadavg()[0])}")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
