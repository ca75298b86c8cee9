"""``python -m baz_data export``: the app's downloads as files, for a scheduled job (cron).

Contract: the bytes are the ones the app's download buttons give the stuurgroep for the same
year, quarter and peildatum, because they are made by the same chain the pages use through
``app_state.export``: the view-model from :mod:`reports` (on the data the stuurgroep may see,
:func:`access.visible_dataset`), then the export function from :mod:`exports`. Whatever changes
in that chain (content, peildatum rules), the command follows.

* Without ``--partner``: the Kwartaaloverzicht, as PDF or Excel (its two download buttons).
* With ``--partner CODE``: that partner's Afrekening for the quarter on Uren per partner, as Excel
  or CSV (its two download buttons).
* The peildatum defaults to the app's default (today inside the chosen year; sidebar).
* The quarter PDF has the progress per week from the history when a store is configured
  (``--history URL``, ``BAZ_HISTORY``, ``[connections.history]`` in the secrets, or the app's
  default SQLite file when it exists; history.settings.configured_history_url), as the app's
  download has; otherwise it says that the history is not available. A configured store that
  cannot be opened is a Dutch error (exit 2), as for the other history commands.
* ``--out`` is a file, or an existing folder: then the file gets the name the app gives it.
  The file is written next to its target and then renamed, so a reader (or a failing run)
  never sees half a file.

Error policy: a choice the app does not offer (a year without data, a peildatum outside the
year, a format without a download, an unknown partner) or a path that cannot be written raises
:class:`ExportError` with a Dutch message; the command line prints it and exits 2. A failing
source is a SourceError, handled the same way by the command line.
"""
from __future__ import annotations

import datetime as dt
import errno
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import access, exports, reports
from .metrics import default_peildatum
from .model import Dataset

FORMATS = ("pdf", "xlsx", "csv")
FORMAT_NAMES = {"pdf": "PDF", "xlsx": "Excel", "csv": "CSV"}


class ExportError(Exception):
    """A Dutch sentence: why the file was not made, and what to do instead."""


@dataclass(frozen=True)
class Download:
    """One download button of a page: what it makes and the file name the page gives it."""

    make: Callable[..., bytes]         # (ds, year, quarter, peildatum, partner[, history])
    file_name: str                     # str.format with year, quarter, partner


# Kwartaaloverzicht (app_pages/kwartaaloverzicht.py): view quarter_report(year, quarter,
# peildatum), then the export of that report.
def _quarter_pdf(ds: Dataset, year: int, quarter: int, peildatum: dt.date, partner,
                 history=None) -> bytes:
    """The PDF with the progress per week from ``history`` (a HistoryStore) up to the report's
    peildatum, as the app passes it (app_history.progress_lines); None: the PDF says that the
    history is not available."""
    from .history.source import progress_lines

    report = reports.quarter_report(ds, year, quarter, peildatum)
    progress = None if history is None else progress_lines(history, ds, year, report.peildatum)
    return exports.quarter_report_pdf(report, progress)


QUARTER_DOWNLOADS = {
    "pdf": Download(_quarter_pdf, "kwartaaloverzicht-{year}-Q{quarter}.pdf"),
    "xlsx": Download(lambda ds, year, quarter, peildatum, partner: exports.quarter_report_xlsx(
        reports.quarter_report(ds, year, quarter, peildatum)),
        "kwartaaloverzicht-{year}-Q{quarter}.xlsx"),
}
# Uren per partner's Afrekening (app_pages/uren_per_partner.py): view partner_report(partner,
# year), then the export of that report for one quarter.
STATEMENT_DOWNLOADS = {
    "xlsx": Download(lambda ds, year, quarter, peildatum, partner: exports.partner_statement_xlsx(
        reports.partner_report(ds, partner, year), quarter),
        "afrekening-{partner}-{year}-Q{quarter}.xlsx"),
    "csv": Download(lambda ds, year, quarter, peildatum, partner: exports.partner_statement_csv(
        reports.partner_report(ds, partner, year), quarter),
        "afrekening-{partner}-{year}-Q{quarter}.csv"),
}


def _formats(downloads: dict[str, Download]) -> str:
    return " of ".join(FORMAT_NAMES[f] for f in downloads)


def _download(fmt: str, partner: str | None) -> Download:
    downloads = STATEMENT_DOWNLOADS if partner else QUARTER_DOWNLOADS
    if fmt in downloads:
        return downloads[fmt]
    if partner:
        raise ExportError(f"De afrekening van een partner bestaat als {_formats(downloads)}, niet "
                          f"als {FORMAT_NAMES.get(fmt, fmt)}: kies --format xlsx of csv.")
    raise ExportError(f"Het kwartaaloverzicht bestaat als {_formats(downloads)}, niet als "
                      f"{FORMAT_NAMES.get(fmt, fmt)}: kies --format pdf of xlsx. Een CSV is er "
                      f"voor de afrekening van één partner (--partner CODE).")


def _partner(ds: Dataset, text: str) -> str:
    """The code as the Partners tab spells it (codes compare without case and spaces)."""
    choices = list(reports.partner_choices(ds))
    wanted = text.strip().casefold()
    for code in choices:
        if str(code).strip().casefold() == wanted:
            return code
    listed = ", ".join(str(c) for c in choices) or "geen: het tabblad Partners is leeg"
    raise ExportError(f"Partner '{text}' staat niet in het tabblad Partners. Kies uit: {listed}.")


def check_choices(ds: Dataset, year: int, quarter: int, peildatum: dt.date | None,
                  fmt: str, partner: str | None) -> tuple[Download, dt.date, str | None]:
    """What the app would offer for these choices, or an ExportError saying why not."""
    download = _download(fmt, partner)
    if year not in ds.years:
        years = ", ".join(str(y) for y in sorted(ds.years)) or "geen"
        raise ExportError(f"Voor {year} staan er geen gegevens in de sheets. Jaren met "
                          f"gegevens: {years}.")
    if quarter not in (1, 2, 3, 4):
        raise ExportError(f"Kwartaal {quarter} bestaat niet: kies 1, 2, 3 of 4.")
    if peildatum is None:
        peildatum = default_peildatum(year)
    elif peildatum.year != year:
        raise ExportError(f"De peildatum {peildatum:%d/%m/%Y} ligt niet in {year}: kies een "
                          f"datum tussen 01/01/{year} en 31/12/{year}.")
    return download, peildatum, _partner(ds, partner) if partner else None


def uses_history(fmt: str, partner: str | None) -> bool:
    """Whether this download shows history (the quarter PDF's progress per week)."""
    return fmt == "pdf" and not partner


def make_file(ds: Dataset, year: int, quarter: int, peildatum: dt.date | None, fmt: str,
              partner: str | None = None, history=None) -> tuple[bytes, str]:
    """(bytes, the app's file name) of the download, for the stuurgroep's view of ``ds``;
    ``history`` (a HistoryStore, or None) for the downloads that show it (uses_history)."""
    download, peildatum, partner = check_choices(ds, year, quarter, peildatum, fmt, partner)
    shown = access.visible_dataset(ds, access.Role(email=None, role=access.STUURGROEP))
    extra = (history,) if uses_history(fmt, partner) else ()
    data = download.make(shown, year, quarter, peildatum, partner, *extra)
    return data, download.file_name.format(year=year, quarter=quarter, partner=partner)


_OS_REASONS = {errno.EACCES: "geen schrijfrechten", errno.EPERM: "geen schrijfrechten",
               errno.ENOENT: "de map bestaat niet", errno.ENOTDIR: "een deel van het pad is geen map",
               errno.EROFS: "het bestandssysteem is alleen-lezen", errno.ENOSPC: "de schijf is vol",
               errno.EISDIR: "dat is een map"}


def target_path(out: str, file_name: str) -> Path:
    """``out`` itself, or the app's file name inside ``out`` when that is an existing folder."""
    path = Path(out).expanduser()
    return path / file_name if path.is_dir() else path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` all at once (temporary file beside it, then rename)."""
    folder = path.parent
    try:
        if not folder.is_dir():
            raise FileNotFoundError(errno.ENOENT, "no such folder", str(folder))
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes 0600; open() would not
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as exc:
        reason = _OS_REASONS.get(exc.errno, f"het systeem weigert ({exc.strerror or exc})")
        raise ExportError(f"Kan '{path}' niet schrijven: {reason}. Kies met --out een bestand in "
                          f"een map waarin je mag schrijven.") from None
