"""The history's commands: ``snapshot`` and ``changes``, ``summary --as-of``'s source and
``export``'s store (the quarter PDF's progress per week, when a store is configured).

Every command that touches history takes the store from ``--history URL`` (wins) or from the
secrets (``--secrets``; see :mod:`.settings`).

Error policy: as :mod:`baz_data.cli`: a Dutch message and exit code 2 (a HistoryError is a
SourceError), never a traceback.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json

from ..sources import SourceError


def moment(text: str) -> dt.datetime | dt.date:
    """``2021-03-31`` (a day) or ``2021-03-31T17:00`` (a moment), Belgian local time."""
    try:
        if "T" in text or " " in text.strip():
            return dt.datetime.fromisoformat(text.strip())
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is geen datum in de vorm JJJJ-MM-DD of JJJJ-MM-DDTUU:MM") from None


def add_history_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--history", metavar="URL",
                        help="de database met de geschiedenis (SQLAlchemy-adres, bv. "
                             "sqlite:///geschiedenis.sqlite3); standaard uit secrets.toml "
                             "[connections.history] of .streamlit/baz-history.sqlite3")


def open_store(args):
    from .settings import history_url
    from .store import HistoryStore

    return HistoryStore(history_url(getattr(args, "history", None), args.secrets))


def configured_store(args):
    """The HistoryStore when one is configured (settings.configured_history_url), else None."""
    from .settings import configured_history_url
    from .store import HistoryStore

    url = configured_history_url(getattr(args, "history", None), args.secrets)
    return None if url is None else HistoryStore(url)


def add_commands(commands, add_source_options) -> None:
    snapshot = commands.add_parser(
        "snapshot", help="de huidige stand van de sheets in de geschiedenis bewaren",
        description="Bewaart de sheets als momentopname in de geschiedenis, als er iets "
                    "veranderde sinds de vorige. Met --workbook en --taken neem je een oude "
                    "kopie op als stand van dat moment (de oudste eerst).")
    add_source_options(snapshot)
    add_history_option(snapshot)
    snapshot.add_argument("--taken", type=moment, metavar="JJJJ-MM-DD[TUU:MM]",
                          help="het moment van deze stand (standaard: nu)")
    snapshot.set_defaults(run=run_snapshot)

    changes = commands.add_parser(
        "changes", help="wat er veranderde in een periode",
        description="Toont wat er in de sheets veranderde tussen twee momenten, zoals het blok "
                    "'Wat veranderde' van het weekoverleg.")
    add_source_options(changes)
    add_history_option(changes)
    changes.add_argument("--since", type=moment, required=True, metavar="JJJJ-MM-DD[TUU:MM]",
                         help="vanaf dit moment (een datum: het begin van die dag)")
    changes.add_argument("--until", type=moment, metavar="JJJJ-MM-DD[TUU:MM]",
                         help="tot dit moment (een datum: het einde van die dag; standaard nu)")
    changes.add_argument("--json", action="store_true", help="als één JSON-object")
    changes.set_defaults(run=run_changes)


def run_snapshot(args) -> int:
    from ..config import make_source

    store = open_store(args)
    raw = make_source(workbook=args.workbook, sheet=args.sheet, secrets_path=args.secrets).read()
    taken = args.taken
    if isinstance(taken, dt.date) and not isinstance(taken, dt.datetime):
        taken = dt.datetime.combine(taken, dt.time())
    snap = store.record(raw, taken)
    if snap is None:
        latest = store.latest()
        print(f"Niets veranderd sinds de momentopname van {latest.taken_at:%d/%m/%Y %H:%M}; "
              "niets bewaard.")
    else:
        print(f"Momentopname {snap.id} bewaard als stand van {snap.taken_at:%d/%m/%Y %H:%M}: "
              f"{snap.rows_added} rijen nieuw of gewijzigd, {snap.rows_removed} weg.")
    return 0


def as_of_dataset(args):
    """The Dataset as stored at ``args.as_of`` (summary --as-of)."""
    from ..model import build_dataset
    from .source import SnapshotSource, end_of

    return build_dataset(SnapshotSource(open_store(args), end_of(args.as_of)).read())


def _start_of(value) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.combine(value, dt.time())


def run_changes(args) -> int:
    from ..changes_report import changes_json, changes_text
    from ..clock import local_now
    from .source import changes_between, end_of

    store = open_store(args)
    since = _start_of(args.since)
    until = end_of(args.until) if args.until else local_now()
    if until < since:
        raise SourceError("--until ligt vóór --since: kies een einde na het begin.")
    result = changes_between(store, since, until)
    if args.json:
        print(json.dumps(changes_json(result), ensure_ascii=False, indent=2))
    else:
        print(changes_text(result))
    return 0
