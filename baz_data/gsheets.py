"""Google Sheets as a source: every schema tab in TWO requests per refresh.

Google allows 60 read requests per minute per user; opening a spreadsheet and reading ten tabs
the usual gspread way costs 21. This source asks for all tabs at once with
``valueRenderOption=UNFORMATTED_VALUE`` and ``dateTimeRenderOption=SERIAL_NUMBER``: numbers and
dates arrive as numbers (a date as its serial day number) whatever the spreadsheet's locale, and
text typed by partners stays text, for the data core to parse. Rows are returned as Google sends
them: trailing empty cells and rows omitted, rows shorter than the header.

Unformatted values lose what the cell's number format says: ``100%`` arrives as 1, ``4:00`` as
0,1667. So a second, small request — ``spreadsheets.get`` for only the columns whose meaning
depends on the format (schema.FORMAT_KINDS: Voortgang, Uren, Streefwaarde, Waarde), with a field
mask of just ``effectiveFormat.numberFormat.type`` — returns each such cell's format type, and
:func:`baz_data.sources.apply_formats` turns the numbers into what they stand for. (Grid data of
whole tabs would carry every cell's formatting: 47–56 MB at 10 years, against ~2 MB here.) The
same request also returns the spreadsheet's title and tabs, which keeps the metadata (tab ids for
cell links) fresh at no extra cost. When a tab is missing, Google rejects the whole batchGet
("Unable to parse range"): the source then asks for the metadata and reads the tabs that exist;
the loader reports the missing ones.

Whether anything changed is asked of Google Drive, not Sheets (:meth:`GoogleSheetsSource.probe`,
baz_data.drive_probe): one small ``files.get`` for the file's version, outside the Sheets quota.

Error policy: configuration mistakes (a malformed key or URL, unusable service-account fields)
raise :class:`SourceError` when the source is made; everything that goes wrong while reading
raises :class:`SourceError` from :meth:`GoogleSheetsSource.read`, with a Dutch message that says
what to do (English detail to the log). 429 and 5xx are retried with exponential backoff, bounded
in tries and total time (:class:`RetryPolicy`), whether the error came as the API's JSON or as
the HTML page Google's front end serves for a 502; other errors and timeouts are not retried.
Odd answers are errors too, never a traceback and never data: a body that is not JSON (cut off,
or an HTML page), an error page with no API error in it (its status is reported, never its HTML),
and an answer with fewer tabs than asked or a tab that is not the one asked for ("onvolledig
antwoord van Google"): the app then keeps showing the last good data.
"""
from __future__ import annotations

import functools
import logging
import re
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator, Mapping, Sequence
from urllib.parse import urlsplit

import requests
from google.auth import exceptions as auth_exceptions
from google.oauth2.service_account import Credentials
from gspread import Client
from gspread.exceptions import APIError
from gspread.http_client import HTTPClient
from gspread.urls import SPREADSHEET_DRIVE_URL, SPREADSHEETS_API_V4_BASE_URL
from gspread.utils import absolute_range_name, extract_id_from_url

from .drive_probe import PROBE_SCOPE, DriveProbe
from .formatting import fmt_number
from .parsing import normalize_code
from .problems import column_letter
from .schema import TAB_NAMES
from .clock import local_now
from .sources import RawWorkbook, SourceError, SourceInfo, apply_formats, format_columns, trim_rows

GOOGLE_API_ROOT = SPREADSHEETS_API_V4_BASE_URL.removesuffix("/v4/spreadsheets")
# drive.metadata.readonly: the change probe (drive_probe.py) reads the file's version
READ_SCOPES = ("https://www.googleapis.com/auth/spreadsheets.readonly", PROBE_SCOPE)
WRITE_SCOPES = ("https://www.googleapis.com/auth/spreadsheets",)
READ_PARAMS = {"valueRenderOption": "UNFORMATTED_VALUE", "dateTimeRenderOption": "SERIAL_NUMBER",
               "majorDimension": "ROWS"}
METADATA_FIELDS = "spreadsheetId,properties(title,locale),sheets.properties(sheetId,title,index)"
FORMAT_FIELDS = ("properties(title,locale),sheets(properties(sheetId,title,index),"
                 "data(startRow,startColumn,rowData.values.effectiveFormat.numberFormat.type))")
# Number-format types that change what a number means (cells.typed_cell); others are ignored.
MEANINGFUL_FORMATS = frozenset({"PERCENT", "TIME", "DURATION", "DATE", "DATE_TIME"})
DEFAULT_TIMEOUT = 20.0
_KEY = re.compile(r"^[A-Za-z0-9_-]{20,}$")
_REQUIRED_ACCOUNT_FIELDS = ("type", "client_email", "private_key", "token_uri")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded exponential backoff for 429 and 5xx: waits first_delay, 2x, 4x, ...

    Gives up after ``tries`` attempts, or earlier when the next wait would end after
    ``max_total`` seconds from the first attempt (the requests themselves count too).
    """
    tries: int = 4
    first_delay: float = 1.0
    max_total: float = 20.0

    def delay(self, attempt: int) -> float:
        return self.first_delay * 2 ** attempt


NO_RETRY = RetryPolicy(tries=1)


def _retryable(code: int) -> bool:
    return code == 429 or code >= 500


def http_status(exc: APIError) -> int:
    """The HTTP status of an error answer. gspread says -1 when the body held no API error (an
    HTML page from Google's front end, a proxy's page): then the response's own status counts."""
    if exc.code > 0 or getattr(exc, "response", None) is None:
        return exc.code
    return exc.response.status_code


class SheetsHTTPClient(HTTPClient):
    """gspread's HTTP client, pointed at ``api_root`` instead of sheets.googleapis.com, with
    bounded retries. Per instance: nothing in gspread is changed for other clients."""

    def __init__(self, auth: Any, session: requests.Session | None = None, *,
                 api_root: str | None = None, retry: RetryPolicy = RetryPolicy(),
                 timeout: float | None = DEFAULT_TIMEOUT) -> None:
        super().__init__(auth, session)
        self.api_root = normalize_api_root(api_root)
        self.retry = retry
        self.set_timeout(timeout)

    def request(self, method: str, endpoint: str, *args: Any, **kwargs: Any) -> requests.Response:
        if self.api_root != GOOGLE_API_ROOT and endpoint.startswith(GOOGLE_API_ROOT + "/"):
            endpoint = self.api_root + endpoint[len(GOOGLE_API_ROOT):]
        started = time.monotonic()
        for attempt in range(self.retry.tries):
            try:
                return super().request(method, endpoint, *args, **kwargs)
            except APIError as exc:
                wait = self.retry.delay(attempt)
                if (not _retryable(http_status(exc)) or attempt + 1 >= self.retry.tries
                        or time.monotonic() - started + wait > self.retry.max_total):
                    raise
                time.sleep(wait)
        raise AssertionError("unreachable")  # the loop returns or raises


def normalize_api_root(url: str | None) -> str:
    """'http://host:port', 'http://host:port/' and 'http://host:port/v4' all mean the same root."""
    if not url:
        return GOOGLE_API_ROOT
    return url.rstrip("/").removesuffix("/v4").rstrip("/")


def spreadsheet_key(value: str) -> str:
    """A spreadsheet URL or bare key → the key; SourceError (Dutch) when it is neither."""
    text = (value or "").strip()
    if "/" in text or "=" in text:
        try:
            return extract_id_from_url(text)
        except Exception:
            raise SourceError(f"'{text}' is geen link naar een Google-spreadsheet. Kopieer de "
                              "link uit de adresbalk (https://docs.google.com/spreadsheets/d/…) "
                              "of alleen de sleutel ertussen.") from None
    if not _KEY.fullmatch(text):
        raise SourceError(f"'{text}' is geen geldige spreadsheetsleutel: verwacht wordt de link "
                          "uit de adresbalk of de lange code na /d/ erin.")
    return text


def make_credentials(info: Mapping[str, Any], scopes: Sequence[str]) -> Credentials:
    """Service-account credentials; SourceError (Dutch, never quoting the key) when unusable."""
    missing = [f for f in _REQUIRED_ACCOUNT_FIELDS if not info.get(f)]
    if missing:
        raise SourceError("Het serviceaccount in secrets.toml is onvolledig: "
                          f"{', '.join(missing)} ontbreekt.")
    if info.get("type") != "service_account":
        raise SourceError(f"type = \"{info.get('type')}\" in secrets.toml: verwacht "
                          "\"service_account\".")
    try:
        return Credentials.from_service_account_info(dict(info), scopes=list(scopes))
    except (ValueError, TypeError) as exc:
        raise SourceError("private_key in secrets.toml is geen bruikbare sleutel. Kopieer het "
                          "veld private_key volledig uit het JSON-bestand van het "
                          "serviceaccount (de hele waarde, van BEGIN tot en met END).") from exc


def make_client(info: Mapping[str, Any], *, scopes: Sequence[str] = READ_SCOPES,
                sheets_api_url: str | None = None, timeout: float | None = DEFAULT_TIMEOUT,
                retry: RetryPolicy = RetryPolicy()) -> Client:
    """A gspread Client for a service account, on ``sheets_api_url`` when given."""
    http_client = functools.partial(SheetsHTTPClient, api_root=sheets_api_url, retry=retry,
                                    timeout=timeout)
    return Client(auth=make_credentials(info, scopes), http_client=http_client)


@dataclass(frozen=True)
class Metadata:
    title: str
    sheet_ids: dict[str, int]      # tab title as spelled in the spreadsheet -> sheetId

    def resolve(self, tab: str) -> str | None:
        """The spreadsheet's spelling of a schema tab (exact first, then case/space-insensitive),
        the same matching the loader uses."""
        if tab in self.sheet_ids:
            return tab
        wanted = normalize_code(tab)
        return next((t for t in self.sheet_ids if normalize_code(t) == wanted), None)


class GoogleSheetsSource:
    """The schema tabs of one Google spreadsheet, read through a service account."""

    kind = "gsheets"

    def __init__(self, spreadsheet: str, service_account_info: Mapping[str, Any], *,
                 sheets_api_url: str | None = None, drive_api_url: str | None = None,
                 timeout: float = DEFAULT_TIMEOUT, retry: RetryPolicy = RetryPolicy(),
                 tabs: Sequence[str] = TAB_NAMES, scopes: Sequence[str] = READ_SCOPES) -> None:
        self.key = spreadsheet_key(spreadsheet)
        self.account = str(service_account_info.get("client_email") or "")
        self.tabs = list(tabs)
        self.timeout = timeout
        self._info = service_account_info
        self._options = dict(sheets_api_url=sheets_api_url, timeout=timeout, retry=retry)
        self.client = make_client(service_account_info, scopes=scopes, **self._options)
        # The Drive endpoint defaults to sheets_api_url when that is set: a stand-in for Google
        # (the test server) serves both, and a probe must never send its token elsewhere.
        self._drive_api_url = drive_api_url or sheets_api_url
        self._probe: DriveProbe | None = None
        self._metadata: Metadata | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:  # never the credentials
        return f"GoogleSheetsSource(key={self.key!r}, account={self.account!r})"

    @property
    def url(self) -> str:
        return SPREADSHEET_DRIVE_URL % self.key + "/edit"

    def with_scopes(self, scopes: Sequence[str]) -> "GoogleSheetsSource":
        """The same spreadsheet and account with other scopes (init-sheet needs to write)."""
        return GoogleSheetsSource(self.key, self._info, tabs=self.tabs, scopes=scopes,
                                  drive_api_url=self._drive_api_url, **self._options)

    def probe(self) -> str:
        """Drive's stamp of the spreadsheet (drive_probe.DriveProbe.stamp): one files.get, no
        Sheets read, no retries. Raises ProbeUnavailable or SourceError (Dutch)."""
        if self._probe is None:
            # its own HTTP session (thread-safe next to a read), the same credentials and token
            http = SheetsHTTPClient(self.client.http_client.auth, retry=NO_RETRY,
                                    timeout=self.timeout)
            self._probe = DriveProbe(self.key, http, self.account,
                                     drive_api_url=self._drive_api_url, timeout=self.timeout)
        return self._probe.stamp()

    # reading
    def read(self) -> RawWorkbook:
        """All schema tabs that exist, with their cells' number formats. Requests: one
        values.batchGet and one spreadsheets.get (formats and metadata); when a tab is missing
        or renamed, one more spreadsheets.get and batchGet; plus a token request when the token
        expired. Serialized: one refresh at a time per object."""
        with self._lock, self.errors():
            meta = self._metadata
            # The metadata is as fresh as the last refresh (the formats request renews it): a
            # tab created since is read from the next refresh on.
            wanted = ([title for t in self.tabs if (title := meta.resolve(t))] if meta
                      else list(self.tabs))
            try:
                tabs = self.fetch(wanted)
            except APIError as exc:
                if not is_range_error(exc):
                    raise
                meta = self.metadata(refresh=True)
                tabs = self.fetch([t for t in (meta.resolve(n) for n in self.tabs) if t])
            meta = self.fetch_formats(tabs)
        gids = {tab: meta.sheet_ids[title] for tab in self.tabs
                if (title := meta.resolve(tab)) is not None}
        info = SourceInfo(self.kind, meta.title or self.key, local_now(), self.url, gids)
        return RawWorkbook(tabs, info)

    def fetch_formats(self, tabs: dict[str, list[list[Any]]]) -> Metadata:
        """Apply the number formats of the format-sensitive columns to ``tabs`` (in place), in
        one spreadsheets.get that also refreshes and returns the metadata."""
        columns = format_columns(tabs)
        ranges = [absolute_range_name(tab, f"{letter}:{letter}")
                  for tab, indices in columns.items()
                  for letter in (column_letter(i) for i in sorted(indices))]
        params: dict[str, Any] = {"fields": FORMAT_FIELDS}
        if ranges:
            params["ranges"] = ranges
        data = self.client.http_client.fetch_sheet_metadata(self.key, params=params)
        self._metadata = _metadata_of(data)
        apply_formats(tabs, number_formats(data))
        return self._metadata

    def metadata(self, refresh: bool = False) -> Metadata:
        """Title and tabs, from one spreadsheets.get; cached on the object."""
        if self._metadata is None or refresh:
            data = self.client.http_client.fetch_sheet_metadata(
                self.key, params={"fields": METADATA_FIELDS})
            self._metadata = _metadata_of(data)
        return self._metadata

    def fetch(self, titles: Sequence[str], params: Mapping[str, str] = READ_PARAMS
              ) -> dict[str, list[list[Any]]]:
        """Whole tabs (as the spreadsheet spells them) in one values.batchGet."""
        if not titles:
            return {}
        ranges = [absolute_range_name(t) for t in titles]
        data = self.client.http_client.values_batch_get(self.key, ranges, params=dict(params))
        value_ranges = data.get("valueRanges") if isinstance(data, dict) else None
        check_value_ranges(titles, value_ranges)
        return {title: trim_rows(vr.get("values", [])) for title, vr in zip(titles, value_ranges)}

    @contextmanager
    def errors(self) -> Iterator[None]:
        """Turn what gspread, google-auth and requests raise into a Dutch SourceError."""
        try:
            yield
        except SourceError:
            raise
        except APIError as exc:
            if exc.code <= 0:
                log.warning("Sheets API answered HTTP %s without an API error: %.200r",
                            http_status(exc), exc.error.get("message", ""))
            raise SourceError(api_message(exc, self.key, self.account)) from exc
        except requests.JSONDecodeError as exc:  # a 200 whose body is not (whole) JSON
            log.warning("Sheets API answered with a body that is not JSON (%s): %.200r", exc,
                        exc.doc)
            what = ("een webpagina" if str(exc.doc).lstrip().startswith("<")
                    else "onvolledige of onleesbare gegevens")
            raise SourceError(f"Google Sheets antwoordde met {what} in plaats van de gegevens "
                              "van de spreadsheet (vaak een onderbroken verbinding of een "
                              "storing). Probeer het straks opnieuw.") from exc
        except auth_exceptions.RefreshError as exc:
            raise SourceError(
                f"Aanmelden bij Google met serviceaccount {self.account} is mislukt "
                f"({_reason(exc)}). Controleer client_email en private_key in secrets.toml; een "
                "ingetrokken of verwijderde sleutel geeft ook deze fout.") from exc
        except auth_exceptions.TransportError as exc:
            host = urlsplit(str(self._info.get("token_uri", ""))).netloc or "Google"
            raise SourceError(f"Aanmelden bij Google lukt niet: {host} is niet bereikbaar. "
                              "Controleer de internetverbinding.") from exc
        except requests.Timeout as exc:
            raise SourceError(f"Google Sheets antwoordde niet binnen {fmt_number(self.timeout)} "
                              "seconden. Probeer het straks opnieuw.") from exc
        except requests.ConnectionError as exc:
            raise SourceError("Google Sheets is niet bereikbaar. Controleer de "
                              "internetverbinding (of sheets_api_url in secrets.toml).") from exc


def _metadata_of(data: Any) -> Metadata:
    if not isinstance(data, dict) or not isinstance(data.get("sheets"), list):
        # a spreadsheet always has a tab: without any, every tab would look deleted
        raise SourceError(incomplete_message("de lijst van tabbladen ontbreekt erin"))
    try:
        return Metadata(data.get("properties", {}).get("title", ""),
                        {s["properties"]["title"]: s["properties"]["sheetId"]
                         for s in data["sheets"] if "properties" in s})
    except (AttributeError, KeyError, TypeError):
        raise SourceError(incomplete_message("de tabbladen zijn onleesbaar")) from None


def number_formats(data: Mapping[str, Any]) -> dict[str, dict[tuple[int, int], str]]:
    """spreadsheets.get grid data → per tab {(row, column): format type} of meaningful types."""
    try:
        return _number_formats(data)
    except (AttributeError, TypeError):  # an answer of another shape: never guess a format
        raise SourceError(incomplete_message("de celopmaak is onleesbaar")) from None


def _number_formats(data: Mapping[str, Any]) -> dict[str, dict[tuple[int, int], str]]:
    found: dict[str, dict[tuple[int, int], str]] = {}
    for sheet in data.get("sheets", []):
        title = sheet.get("properties", {}).get("title")
        for block in sheet.get("data", []) or []:
            r0, c0 = block.get("startRow", 0), block.get("startColumn", 0)
            for i, row in enumerate(block.get("rowData", []) or []):
                for j, cell in enumerate(row.get("values", []) or []):
                    kind = (cell.get("effectiveFormat", {}).get("numberFormat", {})
                            .get("type"))
                    if kind in MEANINGFUL_FORMATS:
                        found.setdefault(title, {})[(r0 + i, c0 + j)] = kind
    return found
def range_title(text: object) -> str | None:
    """The tab of an A1 range as Google writes it: "Uren!A1:G9" → "Uren",
    "'Leden''s lijst'!A1:C3" → "Leden's lijst"; None when there is no range."""
    if not isinstance(text, str) or not text:
        return None
    title = text.rsplit("!", 1)[0] if "!" in text else text
    if len(title) >= 2 and title[0] == title[-1] == "'":
        title = title[1:-1].replace("''", "'")
    return title


def incomplete_message(detail: str) -> str:
    return (f"Het dashboard kreeg een onvolledig antwoord van Google: {detail}. De gegevens "
            "zijn niet bijgewerkt; probeer het straks opnieuw.")


def check_value_ranges(titles: Sequence[str], value_ranges: object) -> None:
    """A batchGet answer must hold one valueRange per asked tab, in the order asked, each for
    that tab (compared as the loader compares tab names). Anything less would look like an
    empty tab, and its figures would silently drop to zero."""
    if not isinstance(value_ranges, list) or len(value_ranges) != len(titles):
        got = len(value_ranges) if isinstance(value_ranges, list) else 0
        log.warning("batchGet answered %s of %s ranges", got, len(titles))
        raise SourceError(incomplete_message(
            f"{len(titles) - got} van de {len(titles)} gevraagde tabbladen ontbreken erin"))
    for title, vr in zip(titles, value_ranges):
        got = range_title(vr.get("range")) if isinstance(vr, dict) else None
        if got is None or normalize_code(got) != normalize_code(title):
            log.warning("batchGet answered range %r where %r was asked", got, title)
            raise SourceError(incomplete_message(
                f"in plaats van tabblad '{title}' kwam er {f'tabblad {got!r}' if got else 'niets'}"))


def is_range_error(exc: APIError) -> bool:
    return exc.code == 400 and "Unable to parse range" in str(exc.error.get("message", ""))


def _reason(exc: Exception) -> str:
    return str(exc.args[0] if exc.args else exc)[:200]


def api_message(exc: APIError, key: str, account: str) -> str:
    """A Dutch message for an error answer of the Sheets API (or of a front end before it: then
    its status counts, and its page is never quoted)."""
    code, message = http_status(exc), str(exc.error.get("message", ""))
    if exc.code <= 0 and code != 429 and code < 500:
        return (f"Google Sheets gaf een onverwacht antwoord (HTTP {code}, zonder foutmelding van "
                "de Sheets API). Controleer sheets_api_url in secrets.toml als die is ingevuld, "
                "of probeer het straks opnieuw.")
    if code == 403 and ("has not been used" in message or "is disabled" in message):
        return ("De Google Sheets API staat niet aan in het Google Cloud-project van het "
                f"serviceaccount {account}. Zet ze aan (APIs & Services → Library → Google "
                "Sheets API → Enable) en probeer het over een paar minuten opnieuw.")
    if code == 403 and "insufficient authentication scopes" in message:
        return ("Het serviceaccount mag deze spreadsheet niet wijzigen met de gevraagde "
                "rechten (scope).")
    if code == 403:
        return ("Geen toegang tot de spreadsheet: ze is niet gedeeld met het serviceaccount. "
                f"Open de spreadsheet in Google Sheets, kies Delen en voeg {account} toe "
                "(Lezer volstaat voor het dashboard, Bewerker voor init-sheet).")
    if code == 404:
        return (f"Spreadsheet '{key}' niet gevonden. Controleer de link of sleutel "
                "(spreadsheet in secrets.toml of --sheet).")
    if code == 401:
        return (f"Google weigert de aanmelding van serviceaccount {account}. Controleer de "
                "sleutel in secrets.toml.")
    if code == 429:
        return ("Google Sheets weigert tijdelijk meer verzoeken (limiet van 60 leesverzoeken per "
                "minuut bereikt). Probeer het over een minuut opnieuw.")
    if code >= 500:
        return (f"Google Sheets heeft een storing (HTTP {code}). Probeer het later opnieuw.")
    return f"Google Sheets weigerde het verzoek (HTTP {code}: {message[:200]})."
