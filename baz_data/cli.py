"""Command line: ``python -m baz_data validate | summary | demo | init-sheet | export`` and the
history's commands (``snapshot``, ``changes``, ``close-quarter``, ``reopen-quarter``); help text in
Dutch.

Exit codes: 0 fine (``validate``: no errors, warnings allowed), 1 the sheets have errors
(validate; a missing tab is such an error) or closing refused (statements.StatementError), 2 the command could not run (a missing workbook,
Google unreachable, an impossible year or count) — always with a Dutch message, never a
traceback.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
from decimal import Decimal
from pathlib import Path

from .dutch_argparse import DutchArgumentParser
from .export_job import FORMATS, ExportError
from .history.close_commands import add_commands as add_close_commands
from .history.close_commands import attach_closes
from .history.commands import add_commands as add_history_commands
from .history.commands import add_history_option, as_of_dataset, moment
from .formatting import fmt_money, fmt_number
from .parsing import MAX_YEAR, MIN_YEAR
from .problems import SEVERITY_NL
from .sources import SourceError
from .statements import StatementError

log = logging.getLogger(__name__)
MAX_DEMO_YEARS = 25


def _bounded_int(low: int, high: int, what: str):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"geen geheel getal: '{text}'") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{what} moet tussen {low} en {high} liggen, niet "
                                             f"{value}")
        return value
    return parse


def _add_source_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("gegevensbron (zonder keuze: het ingebouwde demowerkboek)")
    group.add_argument("--workbook", metavar="PAD", help="een .xlsx- of .ods-werkboek op schijf")
    group.add_argument("--sheet", metavar="URL|SLEUTEL", help="een Google Sheet (URL of sleutel)")
    group.add_argument("--secrets", metavar="PAD",
                       help="secrets.toml met de service-account (standaard .streamlit/secrets.toml)")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is geen datum in de vorm JJJJ-MM-DD") from None


def build_parser() -> argparse.ArgumentParser:
    parser = DutchArgumentParser(
        prog="python -m baz_data",
        description="BAZ-dashboard: de gegevens van het jaarplan lezen, nakijken en samenvatten.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="OPDRACHT",
                                     parser_class=DutchArgumentParser, title="opdrachten")

    validate = commands.add_parser(
        "validate", help="alle problemen in de sheets tonen (exitcode 1 bij fouten)",
        description="Toont elk probleem: tabblad, rij, kolom, waarde en melding. "
                    "Exitcode 1 als er fouten zijn, anders 0.")
    _add_source_options(validate)
    validate.set_defaults(run=run_validate)

    summary = commands.add_parser(
        "summary", help="de cijfers van een jaar of kwartaal",
        description="Voortgang, uren, vergoedingen en budget volgens de rekenregels (zie README).")
    _add_source_options(summary)
    summary.add_argument("--year", type=_bounded_int(MIN_YEAR, MAX_YEAR, "het jaar"),
                         required=True, metavar="JAAR", help="het planjaar")
    summary.add_argument("--quarter", type=int, choices=[1, 2, 3, 4], metavar="KWARTAAL",
                         help="alleen dit kwartaal (1-4) voor uren en bedragen")
    summary.add_argument("--peildatum", type=_date, metavar="JJJJ-MM-DD",
                         help="referentiedatum voor 'te laat' (standaard vandaag, binnen het jaar)")
    summary.add_argument("--json", action="store_true", help="als één JSON-object")
    summary.add_argument("--as-of", type=moment, metavar="JJJJ-MM-DD[TUU:MM]",
                         help="de gegevens zoals de geschiedenis ze op dat moment bewaarde")
    add_history_option(summary)
    summary.set_defaults(run=run_summary)

    demo = commands.add_parser(
        "demo", help="een demowerkboek maken",
        description="Maakt een realistisch demowerkboek volgens het jaarplan, met enkele bewuste "
                    "fouten. Dezelfde opties geven altijd hetzelfde werkboek.")
    demo.add_argument("--out", required=True, metavar="PAD", help="doelbestand (.xlsx of .ods)")
    demo.add_argument("--years", type=_bounded_int(1, MAX_DEMO_YEARS, "het aantal jaren"),
                      default=1, metavar="N",
                      help=f"aantal jaren, 1 tot {MAX_DEMO_YEARS} (10 geeft ongeveer 100.000 "
                           "urenrijen)")
    demo.add_argument("--seed", type=int, default=2021, metavar="S", help="startwaarde van het toeval")
    demo.set_defaults(run=run_demo)

    init = commands.add_parser(
        "init-sheet", help="een Google Sheet klaarzetten voor de partners",
        description="Maakt ontbrekende tabbladen met hun kopregel, zet rij 1 vast en beschermt "
                    "ze, en voegt keuzelijsten (partner, deelproject, doelstelling, actie, status, "
                    "post, rol) en datum- en getalcontroles toe. Wist of overschrijft nooit "
                    "gegevens: een afwijkende kopregel wordt gemeld, niet herschreven.")
    init.add_argument("--sheet", metavar="URL|SLEUTEL",
                      help="de Google Sheet (standaard: 'spreadsheet' uit secrets.toml)")
    init.add_argument("--secrets", metavar="PAD",
                      help="secrets.toml met de service-account (standaard .streamlit/secrets.toml)")
    init.add_argument("--from-workbook", metavar="PAD",
                      help="ook de rijen van dit werkboek uploaden, alleen in lege tabbladen")
    init.add_argument("--dry-run", action="store_true",
                      help="alleen tonen wat er zou gebeuren, niets wijzigen")
    init.set_defaults(run=run_init_sheet)

    doctor = commands.add_parser(
        "doctor", help="de hele installatie nakijken (exitcode 1 als iets niet in orde is)",
        description="Kijkt na, één regel per controle met ✔ of ✘ en wat te doen: het "
                    "secrets-bestand, de spreadsheet en het serviceaccount, de tabbladen en "
                    "kolommen, de aanmelding ([auth]) en de loginprovider, de redirect-URI, de "
                    "geschiedenisdatabase en het live volgen (Drive API). "
                    "Toont nooit een geheim. Exitcode 0 als alles in orde is, anders 1.")
    doctor.add_argument("--secrets", metavar="PAD",
                        help="secrets.toml (standaard .streamlit/secrets.toml)")
    doctor.add_argument("--url", metavar="ADRES",
                        help="waar de app draait, zoals gebruikers ze openen (standaard "
                             "http://localhost:POORT uit .streamlit/config.toml)")
    doctor.add_argument("--history", metavar="URL",
                        help="de geschiedenisdatabase (SQLAlchemy-URL; standaard zoals de app)")
    doctor.add_argument("--json", action="store_true", help="als één JSON-object (voor monitoring)")
    doctor.set_defaults(run=run_doctor)

    export = commands.add_parser(
        "export", help="een download van het dashboard als bestand (voor een geplande taak)",
        description="Maakt hetzelfde bestand als de downloadknop in de app, zoals de stuurgroep "
                    "het krijgt: het Kwartaaloverzicht als PDF of Excel, of met --partner de "
                    "afrekening van die partner voor het kwartaal als Excel of CSV.")
    _add_source_options(export)
    export.add_argument("--year", type=_bounded_int(MIN_YEAR, MAX_YEAR, "het jaar"),
                        required=True, metavar="JAAR", help="het planjaar")
    export.add_argument("--quarter", type=_bounded_int(1, 4, "het kwartaal"), required=True,
                        metavar="KWARTAAL", help="het kwartaal, 1 tot 4")
    export.add_argument("--format", required=True, choices=FORMATS, metavar="pdf|xlsx|csv",
                        help="pdf of xlsx: het kwartaaloverzicht; xlsx of csv met --partner: "
                             "de afrekening")
    export.add_argument("--out", required=True, metavar="PAD",
                        help="doelbestand, of een bestaande map (dan krijgt het bestand de naam "
                             "die de app geeft, bv. kwartaaloverzicht-2026-Q1.pdf)")
    export.add_argument("--partner", metavar="CODE",
                        help="de afrekening van deze partner in plaats van het kwartaaloverzicht")
    export.add_argument("--peildatum", type=_date, metavar="JJJJ-MM-DD",
                        help="zoals in de zijbalk van de app (standaard vandaag, binnen het jaar)")
    add_history_option(export)   # progress per week; a closed quarter as it was closed
    export.set_defaults(run=run_export)
    add_history_commands(commands, _add_source_options)
    add_close_commands(commands, _add_source_options, _bounded_int(MIN_YEAR, MAX_YEAR, "het jaar"),
                       _bounded_int(1, 4, "het kwartaal"))
    return parser


def _dataset(args):
    from .config import make_source
    from .model import load_dataset

    return load_dataset(make_source(workbook=args.workbook, sheet=args.sheet,
                                    secrets_path=args.secrets))


def run_validate(args) -> int:
    import pandas as pd

    ds = _dataset(args)
    print(f"Bron: {ds.info.label}")
    for p in ds.problems.itertuples():
        place = p.tab + (f", rij {p.row}" if not pd.isna(p.row) else "")
        place += f", kolom {p.column}" if isinstance(p.column, str) else ""
        value = f" [{p.value}]" if p.value else ""
        print(f"{SEVERITY_NL[p.severity].upper():13} {place}{value}: {p.message}")
    excluded = sum(ds.excluded.values())
    print(f"\n{ds.error_count} fouten, {ds.warning_count} waarschuwingen; "
          f"{excluded} rijen tellen niet mee in de totalen.")
    return 1 if ds.error_count else 0


def run_summary(args) -> int:
    from .metrics import summary

    ds = attach_closes(args, as_of_dataset(args) if args.as_of else _dataset(args))
    result = summary(ds, args.year, args.quarter, args.peildatum)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    print(_summary_text(result))
    return 0


def _summary_text(result: dict) -> str:
    period = f"kwartaal {result['quarter']} van {result['year']}" if result["quarter"] \
        else str(result["year"])
    pct = lambda v: "–" if v is None else f"{fmt_number(v, 1)}%"  # noqa: E731
    lines = [f"BAZ — {period} (peildatum {dt.date.fromisoformat(result['peildatum']):%d/%m/%Y}, "
             f"bron: {result['source']['label']})", "", "Deelprojecten:"]
    for s in result["subprojects"]:
        lines.append(f"  {s['code']:6} {s['name']:28} voortgang {pct(s['progress']):>7}  "
                     f"{s['actions']} acties, {s['overdue']} te laat, {fmt_number(s['hours'])} uur")
    lines += ["", "Partners:"]
    for p in result["partners"]:
        amount = fmt_money(int(Decimal(p["compensated_amount"]) * 100))
        lines.append(f"  {p['code']:8} {fmt_number(p['hours']):>9} uur, vergoed "
                     f"{fmt_number(p['compensated_hours']):>9} uur = {amount}, boven budget "
                     f"{fmt_number(p['uncompensated_hours'])} uur")
    late = ", ".join(result["overdue_actions"]) or "geen"
    problems = result["problems"]
    lines += ["", f"Te laat: {late}",
              f"Problemen: {problems['errors']} fouten, {problems['warnings']} waarschuwingen"]
    return "\n".join(lines)


def run_demo(args) -> int:
    from .demo import generate

    counts = generate(Path(args.out), years=args.years, seed=args.seed)
    print(f"Demowerkboek geschreven naar {args.out}: "
          + ", ".join(f"{tab} {n}" for tab, n in counts.items()))
    return 0


def run_init_sheet(args) -> int:
    from .sheet_setup import run_init_sheet as run

    return run(args.sheet, args.secrets, args.from_workbook, args.dry_run)


def run_doctor(args) -> int:
    from . import doctor

    results = doctor.run_checks(doctor.Context(secrets_path=args.secrets, app_url=args.url,
                                               history_url=args.history))
    print(doctor.render_json(results) if args.json else doctor.render_text(results))
    return 0 if doctor.all_ok(results) else 1


def run_export(args) -> int:
    from .export_job import make_file, target_path, uses_history, write_file
    from .history.commands import configured_store

    ds = attach_closes(args, _dataset(args))
    history = configured_store(args) if uses_history(args.format, args.partner) else None
    data, file_name = make_file(ds, args.year, args.quarter, args.peildatum, args.format,
                                args.partner, history=history)
    path = target_path(args.out, file_name)
    write_file(path, data)
    size = f"{len(data)} bytes" if len(data) < 1024 else f"{fmt_number(len(data) / 1024, 0)} kB"
    print(f"{file_name} ({size}) geschreven naar {path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except StatementError as exc:      # the rules of closing refuse: nothing changed
        print(f"Geweigerd: {exc}", file=sys.stderr)
        return 1
    except (SourceError, ExportError) as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 — a Dutch sentence, the detail to the log
        log.exception("python -m baz_data %s failed", args.command)
        print(f"Fout: de opdracht kon niet lopen door een onverwachte fout "
              f"({type(exc).__name__}). Meld dit aan wie het dashboard beheert.", file=sys.stderr)
        return 2
