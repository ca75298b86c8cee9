"""A small Sheets-API-v4-compatible HTTP server, for tests and local demos (stdlib http.server).

This module owns the server's state and controls, the HTTP handler and the command line; the
rest lives beside it, imports flowing one way: sheets_routes.py (which method a path is, and what
serves it) → sheets_batch.py / sheets_cells.py (batchUpdate) and sheets_values.py (value ranges)
→ sheets_model.py (spreadsheets and tabs) → sheets_a1.py, sheets_render.py,
sheets_protection.py, sheets_number_formats.py → sheets_schema.py (request schemas, field masks,
ApiError); sheets_auth.py (service accounts, tokens), sheets_faults.py (scripted failures) and
drive_server.py (Drive's files.get) serve the server alone.

It serves in-memory spreadsheets (see sheets_model.py) the way sheets.googleapis.com does:
``spreadsheets.get``, ``values.get``, ``values.batchGet``, ``values.update``, ``values.append``,
``values.batchUpdate`` and ``spreadsheets.batchUpdate`` (addSheet, setDataValidation,
updateSheetProperties, addProtectedRange, appendCells, updateCells), with protected ranges enforced
per account (Google's 400 for a write by someone not among a range's editors), plus the OAuth token
endpoint of the service-account flow (``POST /token``: an RS256 JWT assertion, verified against the
account's public key), and Drive's ``files.get`` for a spreadsheet's ``version`` and
``modifiedTime`` (drive_server.py): every write through the API moves the version, so the
dashboard's change probe sees it. API requests need a Bearer token from that endpoint, as with
Google.

Tests steer it: :meth:`SheetsTestServer.fail` makes the next requests fail with a status (as
Google's JSON error, or with ``answer=HTML`` as the HTML page Google's front end serves for a
502), or answer oddly: ``answer=MALFORMED_JSON`` (a 200 whose JSON is cut off),
``answer=MISSING_RANGES`` (a batchGet with the last valueRange left out) or ``answer=WRONG_RANGE``
(a batchGet whose last valueRange names another tab), all in sheets_faults.py;
:meth:`SheetsTestServer.slow` delays them, and :attr:`SheetsTestServer.counts` counts requests
by kind ("get", "batchGet", "values.get", "values.update", "values.append",
"values.batchUpdate", "batchUpdate", "drive.files.get", "token");
:meth:`SheetsTestServer.disable_drive` answers Drive calls as Google does for a project without
the Drive API, and :meth:`SheetsTestServer.touch` moves a file's version as an edit would.

By hand: ``python -m baz_data.sheets_server --workbook PATH --port 8765 --secrets-out
.streamlit/secrets.toml`` serves the workbook and writes a secrets.toml that points the dashboard
at it. An existing file there is never overwritten without ``--force`` (Dutch message, exit 2):
it may be the real secrets.toml.
"""
from __future__ import annotations

import json
import secrets
import string
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterable, Mapping
from urllib.parse import parse_qs, urlsplit

from . import drive_server as drive
from .dutch_argparse import DutchArgumentParser
from .sheets_auth import READ_SCOPES, WRITE_SCOPES, Accounts, make_service_account
from .sheets_faults import (ANSWERS, GOOGLE_502_PAGE, HTML, MALFORMED_JSON, MESSAGES,  # noqa: F401
                            MISSING_RANGES, WRONG_RANGE, RawAnswer, Rule, spoil)
from .sheets_model import DEFAULT_COLS, DEFAULT_ROWS, Sheet, Spreadsheet
from .sheets_number_formats import python_cell
from .sheets_render import trim
from .sheets_routes import METHODS, dispatch, json_body, route
from .sheets_schema import ApiError, check_params, one, select_fields

_KEY_CHARS = string.ascii_letters + string.digits + "-_"


class SheetsTestServer:
    """The server state and its controls; :meth:`start` serves it on a background thread."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, token_lifetime: int = 3599):
        self.host, self.port = host, port
        self._lock = threading.RLock()
        self._accounts = Accounts(token_lifetime)
        self._spreadsheets: dict[str, Spreadsheet] = {}
        self._rules: list[Rule] = []
        self._counts: Counter[str] = Counter()
        self._wake = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._drive_enabled = True

    # lifecycle
    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def token_uri(self) -> str:
        return self.url + "/token"

    def start(self) -> "SheetsTestServer":
        handler = type("Handler", (_Handler,), {"server_state": self})
        self._httpd = ThreadingHTTPServer((self.host, self.port), handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True, name="sheets-test-server").start()
        return self

    def stop(self) -> None:
        self._wake.set()
        if self._httpd:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    # setup
    def add_account(self, email: str, key_id: str, public_pem: str) -> None:
        self._accounts.add(email, key_id, public_pem)

    def create_account(self, email: str = "baz-dashboard@baz-test.iam.gserviceaccount.com"
                       ) -> dict[str, str]:
        info, public_pem = make_service_account(self.token_uri, email)
        self.add_account(email, info["private_key_id"], public_pem)
        return info

    def add_spreadsheet(self, tabs: Mapping[str, list[list[Any]]], title: str = "BAZ test",
                        locale: str = "nl_BE", writers: Iterable[str] | None = None,
                        readers: Iterable[str] = ()) -> str:
        """Serve ``tabs`` (tab -> rows of Python values) as a new spreadsheet; returns its key.

        ``Percent(1.0)`` is stored as Google stores a typed 100% (1 with a percent format), a
        ``timedelta`` as a duration, a ``time`` as a time; text is stored as given (RAW).

        ``writers`` defaults to every registered account; pass ``writers=()`` for a spreadsheet
        nobody was given access to (a 403), or ``readers`` for read-only sharing.
        """
        key = "1" + "".join(secrets.choice(_KEY_CHARS) for _ in range(43))
        sheets = []
        for index, (name, rows) in enumerate(tabs.items()):
            typed = [[python_cell(None if v == "" else v) for v in row] for row in rows]
            clean = trim([[v for v, _ in row] for row in typed])
            formats = {(r, c): fmt for r, row in enumerate(typed) for c, (_, fmt) in enumerate(row)
                       if fmt is not None}
            width = max((len(r) for r in clean), default=0)
            sheet_id = 0 if index == 0 else 100_000_000 + index * 7_919  # as Google: 0, then big
            sheets.append(Sheet(sheet_id, name, index, clean,
                                row_count=max(DEFAULT_ROWS, len(clean)),
                                col_count=max(DEFAULT_COLS, width), formats=formats))
        if not sheets:
            sheets.append(Sheet(0, "Blad1" if locale.startswith("nl") else "Sheet1", 0))
        with self._lock:
            writers = self._accounts.emails() if writers is None else set(writers)
            self._spreadsheets[key] = Spreadsheet(key, title, sheets, locale,
                                                  readers=writers | set(readers),
                                                  writers=writers)
        return key

    def spreadsheet(self, key: str) -> Spreadsheet:
        return self._spreadsheets[key]

    def rows(self, key: str, tab: str) -> list[list[Any]]:
        """The stored cells of one tab (Python values), for assertions."""
        with self._lock:
            sheet = self._spreadsheets[key].sheet_by_title(tab)
            return [list(r) for r in sheet.rows] if sheet else []

    # controls
    def fail(self, status: int, times: int | None = 1, kinds: Iterable[str] | None = None,
             answer: str | None = None) -> None:
        """The next ``times`` API requests (None: all, until reset) answer ``status``: Google's
        JSON error, or ``answer`` (module docstring; MALFORMED_JSON, MISSING_RANGES and
        WRONG_RANGE serve the request first and then spoil the answer, with ``status``)."""
        if answer is not None and answer not in ANSWERS:
            raise ValueError(f"answer must be one of {ANSWERS}")
        with self._lock:
            self._rules.append(Rule(status, 0.0, times, frozenset(kinds) if kinds else None,
                                     answer))

    def slow(self, seconds: float, times: int | None = None,
             kinds: Iterable[str] | None = None) -> None:
        """API requests wait ``seconds`` before they are answered."""
        with self._lock:
            self._wake.clear()
            self._rules.append(Rule(None, seconds, times, frozenset(kinds) if kinds else None))

    def disable_drive(self, disabled: bool = True) -> None:
        """Answer Drive calls as Google does when the project has the Drive API switched off."""
        with self._lock:
            self._drive_enabled = not disabled

    def touch(self, key: str) -> int:
        """A change that is not a value (a format, a comment's edit): a new Drive version only."""
        with self._lock:
            book = self._spreadsheets[key]
            book.touch()
            return book.version

    def sheets_reads(self) -> int:
        """Sheets API read requests (the 60-a-minute quota); Drive calls and tokens not included."""
        counts = self.counts
        return sum(counts[k] for k in ("get", "values.get", "batchGet"))

    def expire_tokens(self) -> None:
        self._accounts.expire_tokens()

    @property
    def counts(self) -> Counter[str]:
        with self._lock:
            return Counter(self._counts)

    def api_requests(self) -> int:
        return sum(n for kind, n in self.counts.items() if kind != "token")

    def reset(self, spreadsheets: bool = True) -> None:
        """Forget failures, delays and counts (and, by default, the spreadsheets)."""
        with self._lock:
            self._wake.set()
            self._rules.clear()
            self._counts.clear()
            self._drive_enabled = True
            if spreadsheets:
                self._spreadsheets.clear()

    # request handling (called by the handler thread)
    def _misbehave(self, kind: str) -> tuple[int | None, float, str | None]:
        status, delay, answer = None, 0.0, None
        with self._lock:
            for rule in list(self._rules):
                if not rule.applies(kind) or (status is not None and rule.status is not None):
                    continue
                if rule.status is not None:
                    status, answer = rule.status, rule.answer
                delay = max(delay, rule.seconds)
                if rule.times is not None:
                    rule.times -= 1
                    if rule.times <= 0:
                        self._rules.remove(rule)
        return status, delay, answer

    def handle(self, method: str, path: str, query: dict[str, list[str]], headers,
               body: bytes) -> tuple[int, dict | RawAnswer]:
        """One HTTP request → (status, JSON body or RawAnswer). Counts it, applies fail/slow,
        then serves."""
        if method == "POST" and path == "/token":
            return self._token(body)
        file_id = drive.route(method, path)
        kind, key, target = (drive.FILES_GET, file_id, None) if file_id else route(method, path)
        with self._lock:
            self._counts[kind or "unknown"] += 1
        status, delay, answer = self._misbehave(kind or "unknown")
        if delay:
            self._wake.wait(delay)
        if answer == HTML:
            return status, RawAnswer(GOOGLE_502_PAGE.encode(), "text/html; charset=UTF-8")
        if answer is not None:
            served, payload = self._answer(method, kind, key, target, query, headers, body)
            return status, spoil(payload, answer) if served == 200 else payload
        if status is not None:
            return status, ApiError(status, MESSAGES.get(status, "Error")).body()
        return self._answer(method, kind, key, target, query, headers, body)

    def _answer(self, method: str, kind: str | None, key: str | None, target: str | None,
               query: dict[str, list[str]], headers, body: bytes) -> tuple[int, dict]:
        if kind is None:
            return 404, ApiError(404, "Method not found.").body()
        try:
            email, scopes = self._accounts.authenticate(headers, query)
            if kind == drive.FILES_GET:
                params = check_params(query, drive.FILES_GET_PARAMS)
                with self._lock:
                    return 200, drive.files_get(self._spreadsheets.get(key), key, email, scopes,
                                                one(params, "fields"), self._drive_enabled)
            writes, allowed = METHODS[kind]
            params = check_params(query, allowed)
            with self._lock:
                sheet = self._spreadsheets.get(key)
                if sheet is None:
                    raise ApiError(404, MESSAGES[404])
                if email not in (sheet.writers if writes else sheet.readers):
                    raise ApiError(403, MESSAGES[403])
                if not scopes & (WRITE_SCOPES if writes else READ_SCOPES):
                    raise ApiError(403, "Request had insufficient authentication scopes.")
                payload = json_body(body) if writes else None
                result = dispatch(kind, sheet, target, params, payload, email)
                if writes:
                    sheet.touch()
            return 200, select_fields(result, one(params, "fields"))
        except ApiError as exc:
            return exc.code, exc.body()

    def _token(self, body: bytes) -> tuple[int, dict]:
        """POST /token: counted and scripted like any request, then sheets_auth's grant."""
        with self._lock:
            self._counts["token"] += 1
        status, delay, _ = self._misbehave("token")
        if delay:
            self._wake.wait(delay)
        if status is not None:
            return status, {"error": "internal_failure" if status >= 500 else "invalid_request",
                            "error_description": MESSAGES.get(status, "Error")}
        return self._accounts.grant(body, self.token_uri)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_state: SheetsTestServer

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        query = parse_qs(parts.query, keep_blank_values=True)
        status, payload = self.server_state.handle(self.command, parts.path, query,
                                                   self.headers, body)
        content_type = "application/json; charset=UTF-8"
        if isinstance(payload, RawAnswer):
            data, content_type = payload.data, payload.content_type
        else:
            # Google pretty-prints unless prettyPrint=false; we only do when asked: same JSON,
            # and the compact encoder is several times faster on 100,000 rows.
            pretty = (one(query, "prettyPrint") or "").lower() == "true"
            data = json.dumps(payload, ensure_ascii=False, indent=2 if pretty else None).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
            self.close_connection = True

    do_GET = do_POST = do_PUT = _serve

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass


def _secrets_toml(key: str, url: str, info: Mapping[str, str]) -> str:
    lines = ["# Written by baz_data.sheets_server: a local test server, not Google.",
             "[connections.gsheets]", f'spreadsheet = "{key}"', f'sheets_api_url = "{url}"',
             f'drive_api_url = "{url}"']
    lines += [f"{name} = {json.dumps(value)}" for name, value in info.items()]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    from .sources import DEMO_WORKBOOK, WorkbookSource

    parser = DutchArgumentParser(
        prog="python -m baz_data.sheets_server",
        description="Lokale Sheets-API-server die een werkboek serveert (voor demo's en tests).")
    parser.add_argument("--workbook", type=Path, default=DEMO_WORKBOOK,
                        help="werkboek (.xlsx/.ods) om te serveren (standaard: het demowerkboek)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--secrets-out", type=Path,
                        help="schrijf hier een secrets.toml die naar deze server wijst")
    parser.add_argument("--force", action="store_true",
                        help="overschrijf een bestaand bestand bij --secrets-out")
    args = parser.parse_args(argv)
    # Checked before anything starts: the usual target, .streamlit/secrets.toml, may hold the
    # real service-account key, and a test server's key must never silently replace it.
    if args.secrets_out and args.secrets_out.exists() and not args.force:
        parser.exit(2, f"{parser.prog}: fout: {args.secrets_out} bestaat al en wordt niet "
                       "overschreven (er kunnen echte sleutels in staan). Kies een ander pad, "
                       "of geef --force om het toch te vervangen.\n")
    server = SheetsTestServer(args.host, args.port, token_lifetime=3599)
    server.start()
    info = server.create_account()
    tabs = WorkbookSource(args.workbook).read().tabs
    key = server.add_spreadsheet(tabs, title=args.workbook.stem)
    print(f"Sheets-API-server draait op {server.url} (spreadsheet {key}, {len(tabs)} tabbladen).")
    if args.secrets_out:
        args.secrets_out.parent.mkdir(parents=True, exist_ok=True)
        args.secrets_out.write_text(_secrets_toml(key, server.url, info), encoding="utf-8")
        print(f"secrets.toml geschreven naar {args.secrets_out}.")
    else:
        print("Tip: geef --secrets-out .streamlit/secrets.toml om het dashboard hierop aan te "
              "sluiten.")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
