"""``close-quarter`` and ``reopen-quarter``: closing a quarter from the command line.

* ``close-quarter --year Y --quarter Q --by E-MAIL [--yes]`` reads the sheets, records them as a
  snapshot (so the close refers to exactly this data), shows the lines it will freeze and asks
  "Afsluiten? (j/n)" unless ``--yes``; then closes (baz_data.closing).
* ``reopen-quarter --year Y --quarter Q --by E-MAIL --reason TEKST``.
* Both take the store from ``--history URL`` or the secrets (:mod:`.commands`), and refuse
  unless E-MAIL is a ``stuurgroep`` user in the sheets' Gebruikers tab.
* :func:`attach_closes` gives ``summary`` the closes, for its statement lines.

Error policy: a refusal (not stuurgroep, the order of quarters, a quarter not over yet, no
reason) is a Dutch message and exit code 1; "n" at the question is exit code 1 with nothing
changed; a source or store failure exit code 2 (baz_data.cli).
"""
from __future__ import annotations

import logging
import sys

from .. import statements as st
from ..formatting import fmt_money, fmt_number
from .commands import add_history_option, configured_store, open_store

log = logging.getLogger(__name__)


def add_commands(commands, add_source_options, year_type, quarter_type) -> None:
    close = commands.add_parser(
        "close-quarter", help="een kwartaal afsluiten (stuurgroep): de afrekening vastleggen",
        description="Legt de afrekeningslijnen van het kwartaal vast in de geschiedenis, met wie "
                    "en wanneer. Latere wijzigingen van uren uit dat kwartaal verschijnen als "
                    "correctie in het eerste open kwartaal. Kwartalen sluiten in volgorde.")
    add_source_options(close)
    add_history_option(close)
    _common(close, year_type, quarter_type)
    close.add_argument("--yes", action="store_true",
                       help="niet om bevestiging vragen (voor een script)")
    close.set_defaults(run=run_close)

    reopen = commands.add_parser(
        "reopen-quarter", help="een afgesloten kwartaal heropenen (stuurgroep), met een reden",
        description="Heropent het laatst afgesloten kwartaal van het jaar. De reden komt in de "
                    "lijst van afsluitingen.")
    add_source_options(reopen)
    add_history_option(reopen)
    _common(reopen, year_type, quarter_type)
    reopen.add_argument("--reason", required=True, metavar="TEKST",
                        help="waarom het kwartaal heropend wordt")
    reopen.set_defaults(run=run_reopen)


def _common(parser, year_type, quarter_type) -> None:
    parser.add_argument("--year", type=year_type, required=True, metavar="JAAR",
                        help="het planjaar")
    parser.add_argument("--quarter", type=quarter_type, required=True, metavar="KWARTAAL",
                        help="het kwartaal, 1 tot 4")
    parser.add_argument("--by", required=True, metavar="E-MAIL",
                        help="wie afsluit: een stuurgroeplid uit het tabblad Gebruikers")


def _stuurgroep(ds, email: str) -> str:
    from ..access import STUURGROEP, resolve_role

    who = resolve_role(ds, email)
    if who.role != STUURGROEP:
        raise st.StatementError(
            f"'{email}' staat niet als stuurgroep in het tabblad Gebruikers: alleen de "
            "stuurgroep kan een kwartaal afsluiten of heropenen.")
    return who.email


def _read(args):
    """(store, Dataset, the source's Afrekeningen steps) of the sheets as they are, recorded
    in the store first (so a close freezes exactly what was read)."""
    from ..config import make_source
    from ..model import build_dataset
    from ..statement_tab import tab_steps

    store = open_store(args)
    source = make_source(workbook=args.workbook, sheet=args.sheet, secrets_path=args.secrets)
    raw = source.read()
    store.record(raw)
    return store, build_dataset(raw), tab_steps(source)


def line_text(row: dict) -> str:
    """One line of the table of closing.LINE_COLUMNS, for the terminal."""
    return (f"  {row['Kwartaal']:3} {row['Regel']:22} {row['Partner']:8} {row['Deelproject']:8} "
            f"{fmt_number(row['Uren'], 4):>10} uur, vergoed {fmt_number(row['Vergoed uren'], 4)} "
            f"uur, boven budget {fmt_number(row['Boven budget'], 4)} uur: "
            f"{fmt_money(row['Bedrag'])}")


def run_close(args) -> int:
    from ..closing import close_quarter, preview_close

    store, ds, (write_tab, _) = _read(args)
    by = _stuurgroep(ds, args.by)
    preview = preview_close(store, args.year, args.quarter)
    print(preview.heading + ":")
    for row in preview.table.to_dict("records"):
        print(line_text(row))
    if preview.table.empty:
        print("  (geen uren in dit kwartaal en geen correcties: er wordt een lege afrekening "
              "vastgelegd)")
    if not args.yes:
        try:
            answer = input(f"Q{args.quarter} {args.year} afsluiten? (j/n) ")
        except EOFError:
            answer = ""
        if answer.strip().casefold() not in ("j", "ja", "y", "yes"):
            print("Niet afgesloten: er is niets veranderd.")
            return 1
    result = close_quarter(store, preview, by, write_tab=write_tab)
    print(result.message)
    if result.tab_message:
        print(result.tab_message)
    return 0


def run_reopen(args) -> int:
    from ..closing import reopen_quarter

    store, ds, (_, mark_tab) = _read(args)
    by = _stuurgroep(ds, args.by)
    print(reopen_quarter(store, args.year, args.quarter, by, args.reason, mark_tab=mark_tab))
    return 0


def attach_closes(args, ds):
    """``ds`` with the closes of the configured history store (summary's statement lines), or
    ``ds`` as it is: without a store, or with a notice on stderr when it cannot be used."""
    from ..closing import store_ledger, with_ledger
    from ..sources import SourceError

    try:
        store = configured_store(args)   # reading: never creates a store that is not there
        return ds if store is None else with_ledger(ds, store_ledger(store))
    except SourceError as exc:
        print(f"Let op: zonder afgesloten kwartalen ({exc})", file=sys.stderr)
        return ds
