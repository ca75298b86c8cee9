"""A small Sheets-API-v4-compatible HTTP server, for tests and local demos (stdlib http.server).

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
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterable, Mapping
from urllib.parse import parse_qs, unquote, urlsplit

from . import drive_server as drive
from . import sheets_model as m
from .sheets_faults import (ANSWERS, GOOGLE_502_PAGE, HTML, MALFORMED_JSON, MESSAGES,  # noqa: F401
                            MISSING_RANGES, WRONG_RANGE, RawAnswer, Rule, spoil)
from .dutch_argparse import DutchArgumentParser
from .sheets_number_formats import python_cell

GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"  # the audience google-auth always signs
JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
SCOPE = "https://www.googleapis.com/auth/"
READ_SCOPES = {SCOPE + s for s in ("spreadsheets", "spreadsheets.readonly", "drive",
                                   "drive.readonly", "drive.file")}
WRITE_SCOPES = {SCOPE + s for s in ("spreadsheets", "drive", "drive.file")}
_KEY_CHARS = string.ascii_letters + string.digits + "-_"

BOOL, REPEATED = "boolean", "repeated"
STANDARD_PARAMS = {"$.xgafv": ("1", "2"), "access_token": None, "alt": ("json", "media", "proto"),
                   "callback": None, "fields": None, "key": None, "oauth_token": None,
                   "prettyPrint": BOOL, "quotaUser": None, "uploadType": None,
                   "upload_protocol": None}
_READ = {"valueRenderOption": m.VALUE_RENDER, "dateTimeRenderOption": m.DATETIME_RENDER,
         "majorDimension": m.DIMENSIONS}
_WRITE = {"valueInputOption": m.VALUE_INPUT, "includeValuesInResponse": BOOL,
          "responseValueRenderOption": m.VALUE_RENDER,
          "responseDateTimeRenderOption": m.DATETIME_RENDER}
# Query parameters per method, from sheets.v4.json; (kind, writes?, params).
METHODS: dict[str, tuple[bool, dict[str, Any]]] = {
    "get": (False, {"ranges": REPEATED, "includeGridData": BOOL,
                    "excludeTablesInBandedRanges": BOOL,
                    "commentsViewMode": ("COMMENTS_VIEW_MODE_UNSPECIFIED",
                                         "COMMENTS_VIEW_MODE_DEFAULT_FOR_CURRENT_ACCESS",
                                         "COMMENTS_VIEW_MODE_OMITTED",
                                         "COMMENTS_VIEW_MODE_INCLUDED")}),
    "values.get": (False, dict(_READ)),
    "batchGet": (False, {**_READ, "ranges": REPEATED}),
    "values.update": (True, dict(_WRITE)),
    "values.append": (True, {**_WRITE, "insertDataOption": m.INSERT_DATA}),
    "values.batchUpdate": (True, {}),
    "batchUpdate": (True, {}),
}


@dataclass
class _Account:
    email: str
    keys: dict[str, str]        # private_key_id -> public key PEM


def make_service_account(token_uri: str, email: str = "baz-dashboard@baz-test.iam.gserviceaccount.com"
                         ) -> tuple[dict[str, str], str]:
    """A new RSA key as a Google service-account JSON (info dict) and its public key PEM."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()).decode()
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    key_id = secrets.token_hex(20)
    project = email.split("@")[1].split(".")[0]
    info = {
        "type": "service_account", "project_id": project, "private_key_id": key_id,
        "private_key": private_pem, "client_email": email, "client_id": str(10**20 + 7),
        "auth_uri": "https://accounts.google.com/o/oauth2/auth", "token_uri": token_uri,
        "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
        "client_x509_cert_url": "https://www.googleapis.com/robot/v1/metadata/x509/"
                                + email.replace("@", "%40"),
        "universe_domain": "googleapis.com",
    }
    return info, public_pem


class SheetsTestServer:
    """The server state and its controls; :meth:`start` serves it on a background thread."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, token_lifetime: int = 3599):
        self.host, self.port = host, port
        self.token_lifetime = token_lifetime
        self._lock = threading.RLock()
        self._accounts: dict[str, _Account] = {}
        self._tokens: dict[str, tuple[str, frozenset[str], float]] = {}
        self._spreadsheets: dict[str, m.Spreadsheet] = {}
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
        with self._lock:
            self._accounts.setdefault(email, _Account(email, {})).keys[key_id] = public_pem

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
            clean = m.trim([[v for v, _ in row] for row in typed])
            formats = {(r, c): fmt for r, row in enumerate(typed) for c, (_, fmt) in enumerate(row)
                       if fmt is not None}
            width = max((len(r) for r in clean), default=0)
            sheet_id = 0 if index == 0 else 100_000_000 + index * 7_919  # as Google: 0, then big
            sheets.append(m.Sheet(sheet_id, name, index, clean,
                                  row_count=max(m.DEFAULT_ROWS, len(clean)),
                                  col_count=max(m.DEFAULT_COLS, width), formats=formats))
        if not sheets:
            sheets.append(m.Sheet(0, "Blad1" if locale.startswith("nl") else "Sheet1", 0))
        with self._lock:
            writers = set(self._accounts) if writers is None else set(writers)
            self._spreadsheets[key] = m.Spreadsheet(key, title, sheets, locale,
                                                    readers=writers | set(readers),
                                                    writers=writers)
        return key

    def spreadsheet(self, key: str) -> m.Spreadsheet:
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
        with self._lock:
            self._tokens.clear()

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
        kind, key, target = (drive.FILES_GET, file_id, None) if file_id else _route(method, path)
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
            return status, m.ApiError(status, MESSAGES.get(status, "Error")).body()
        return self._answer(method, kind, key, target, query, headers, body)

    def _answer(self, method: str, kind: str | None, key: str | None, target: str | None,
               query: dict[str, list[str]], headers, body: bytes) -> tuple[int, dict]:
        if kind is None:
            return 404, m.ApiError(404, "Method not found.").body()
        try:
            email, scopes = self._authenticate(headers, query)
            if kind == drive.FILES_GET:
                params = _check_params(query, drive.FILES_GET_PARAMS)
                with self._lock:
                    return 200, drive.files_get(self._spreadsheets.get(key), key, email, scopes,
                                                _one(params, "fields"), self._drive_enabled)
            writes, allowed = METHODS[kind]
            params = _check_params(query, allowed)
            with self._lock:
                sheet = self._spreadsheets.get(key)
                if sheet is None:
                    raise m.ApiError(404, MESSAGES[404])
                if email not in (sheet.writers if writes else sheet.readers):
                    raise m.ApiError(403, MESSAGES[403])
                if not scopes & (WRITE_SCOPES if writes else READ_SCOPES):
                    raise m.ApiError(403, "Request had insufficient authentication scopes.")
                payload = _json(body) if writes else None
                result = _dispatch(kind, sheet, target, params, payload, email)
                if writes:
                    sheet.touch()
            return 200, m.select_fields(result, _one(params, "fields"))
        except m.ApiError as exc:
            return exc.code, exc.body()

    def _authenticate(self, headers, query) -> tuple[str, frozenset[str]]:
        auth = headers.get("Authorization", "")
        token = auth[7:].strip() if auth.lower().startswith("bearer ") else _one(
            query, "access_token")
        if not token:
            raise m.ApiError(401, "Request is missing required authentication credential. "
                                  "Expected OAuth 2 access token, login cookie or other valid "
                                  "authentication credential. See "
                                  "https://developers.google.com/identity/sign-in/web/"
                                  "devconsole-project.")
        with self._lock:
            entry = self._tokens.get(token)
        if entry is None or entry[2] < time.time():
            raise m.ApiError(401, MESSAGES[401])
        return entry[0], entry[1]

    def _token(self, body: bytes) -> tuple[int, dict]:
        """The service-account JWT bearer grant (RFC 7523), as oauth2.googleapis.com/token."""
        from google.auth import jwt

        with self._lock:
            self._counts["token"] += 1
        status, delay, _ = self._misbehave("token")
        if delay:
            self._wake.wait(delay)
        if status is not None:
            return status, {"error": "internal_failure" if status >= 500 else "invalid_request",
                            "error_description": MESSAGES.get(status, "Error")}
        form = parse_qs(body.decode("utf-8", "replace"))
        if _one(form, "grant_type") != JWT_GRANT:
            return 400, {"error": "unsupported_grant_type",
                         "error_description": f"Invalid grant_type: {_one(form, 'grant_type')}"}
        assertion = _one(form, "assertion") or ""
        try:
            unverified = jwt.decode(assertion, verify=False)
            account = self._accounts.get(unverified.get("iss", ""))
            if account is None:
                return 400, {"error": "invalid_grant", "error_description": "Invalid grant: "
                                                                            "account not found"}
            claims = jwt.decode(assertion, certs=account.keys, clock_skew_in_seconds=10)
        except (ValueError, KeyError) as exc:
            return 400, {"error": "invalid_grant", "error_description": f"Invalid JWT: {exc}"}
        if claims.get("aud") not in (GOOGLE_TOKEN_URI, self.token_uri):
            return 400, {"error": "invalid_grant",
                         "error_description": f"Invalid JWT audience: {claims.get('aud')}"}
        scopes = frozenset(str(claims.get("scope", "")).split())
        if not scopes or not scopes & READ_SCOPES:
            return 400, {"error": "invalid_scope",
                         "error_description": "Invalid OAuth scope or ID token audience "
                                              "provided."}
        token = "ya29.test-" + secrets.token_urlsafe(32)
        with self._lock:
            self._tokens[token] = (account.email, scopes, time.time() + self.token_lifetime)
        return 200, {"access_token": token, "expires_in": self.token_lifetime,
                     "token_type": "Bearer"}


def _route(method: str, path: str) -> tuple[str | None, str | None, str | None]:
    """(kind, spreadsheet key, range) for an API path; kind None when no method matches."""
    prefix = "/v4/spreadsheets/"
    if not path.startswith(prefix):
        return None, None, None
    rest = path[len(prefix):]
    key, _, tail = rest.partition("/")
    if not tail:
        if key.endswith(":batchUpdate") and method == "POST":
            return "batchUpdate", unquote(key[:-len(":batchUpdate")]), None
        return ("get", unquote(key), None) if method == "GET" and ":" not in key else (
            None, None, None)
    if tail == "values:batchGet" and method == "GET":
        return "batchGet", unquote(key), None
    if tail == "values:batchUpdate" and method == "POST":
        return "values.batchUpdate", unquote(key), None
    if tail.startswith("values/"):
        target = tail[len("values/"):]
        if target.endswith(":append") and method == "POST":
            return "values.append", unquote(key), unquote(target[:-len(":append")])
        if ":" in target:
            return None, None, None
        if method == "GET":
            return "values.get", unquote(key), unquote(target)
        if method == "PUT":
            return "values.update", unquote(key), unquote(target)
    return None, None, None


def _one(params: Mapping[str, list[str]], name: str) -> str | None:
    values = params.get(name)
    return values[0] if values else None


def _check_params(query: dict[str, list[str]], allowed: dict[str, Any]) -> dict[str, list[str]]:
    """Reject what Google rejects: unknown parameters and values outside an enum."""
    for name, values in query.items():
        spec = allowed.get(name, STANDARD_PARAMS.get(name, KeyError))
        if spec is KeyError:
            raise m.bad_request(f'Invalid JSON payload received. Unknown name "{name}": Cannot '
                                f"bind query parameter. Field '{name}' could not be found in "
                                "request message.")
        if spec == BOOL:
            for value in values:
                if value.lower() not in ("true", "false"):
                    raise m.bad_request(f"Invalid value at '{m._snake(name)}' (TYPE_BOOL), "
                                        f'"{value}"')
        elif isinstance(spec, tuple):
            for value in values:
                if value not in spec:
                    raise m.bad_request(f"Invalid value at '{m._snake(name)}', \"{value}\"")
    return query


def _flag(params: dict[str, list[str]], name: str) -> bool:
    return (_one(params, name) or "false").lower() == "true"


def _json(body: bytes) -> dict:
    if not body:
        return {}
    try:
        payload = json.loads(body)
    except ValueError:
        raise m.bad_request("Invalid JSON payload received. Unexpected token.") from None
    if not isinstance(payload, dict):
        raise m.bad_request("Invalid JSON payload received. Expected an object.")
    return payload


def _render_options(params: dict[str, list[str]]) -> tuple[str, str]:
    return (_one(params, "valueRenderOption") or "FORMATTED_VALUE",
            _one(params, "dateTimeRenderOption") or "SERIAL_NUMBER")


def _columns(result: dict) -> dict:
    """majorDimension=COLUMNS: the same cells, transposed."""
    rows = result.get("values", [])
    width = max((len(r) for r in rows), default=0)
    cols = [[r[c] if c < len(r) else "" for r in rows] for c in range(width)]
    result = {**result, "majorDimension": "COLUMNS"}
    cols = m.trim(cols)
    if cols:
        result["values"] = cols
    return result


def _read(sheet: m.Spreadsheet, text: str, params: dict[str, list[str]]) -> dict:
    result = sheet.get_values(text, *_render_options(params))
    return _columns(result) if _one(params, "majorDimension") == "COLUMNS" else result


def _input_option(option: str | None) -> str:
    if option is None:
        raise m.bad_request("'valueInputOption' is required but not specified")
    if option == "INPUT_VALUE_OPTION_UNSPECIFIED":
        raise m.bad_request(f"Invalid valueInputOption: {option}")
    return option


def _value_range(body: dict, url_range: str | None) -> list[list[Any]]:
    m.check_message(body, "ValueRange")
    if url_range is not None and body.get("range") not in (None, url_range):
        raise m.bad_request(f"Requested update range [{url_range}] does not match ValueRange "
                            f"range [{body['range']}].")
    values = body.get("values") or []
    if body.get("majorDimension") == "COLUMNS":
        width = max((len(c) for c in values), default=0)
        values = [[c[r] if r < len(c) else None for c in values] for r in range(width)]
    return values


def _with_values(sheet: m.Spreadsheet, update: dict, params: Mapping[str, Any]) -> dict:
    """includeValuesInResponse: add what was written, rendered with the response options."""
    include = params.get("includeValuesInResponse")
    if isinstance(include, list):  # query parameters come as lists of strings
        params = {k: v[0] for k, v in params.items() if v}
        include = str(params.get("includeValuesInResponse", "")).lower() == "true"
    if update.get("updatedRange") and include:
        update["updatedData"] = sheet.get_values(
            update["updatedRange"], params.get("responseValueRenderOption") or "FORMATTED_VALUE",
            params.get("responseDateTimeRenderOption") or "SERIAL_NUMBER")
    return update


def _dispatch(kind: str, sheet: m.Spreadsheet, target: str | None, params: dict[str, list[str]],
              body: dict | None, email: str | None = None) -> dict:
    if kind == "get":
        include = _flag(params, "includeGridData") or "data" in (_one(params, "fields") or "")
        return sheet.metadata(params.get("ranges"), include)
    if kind == "values.get":
        return _read(sheet, target, params)
    if kind == "batchGet":
        return {"spreadsheetId": sheet.key,
                "valueRanges": [_read(sheet, r, params) for r in params.get("ranges", [])]}
    if kind == "values.update":
        option = _input_option(_one(params, "valueInputOption"))
        update = sheet.update_values(target, _value_range(body, target), option, email)
        return _with_values(sheet, update, params)
    if kind == "values.append":
        option = _input_option(_one(params, "valueInputOption"))
        result = sheet.append_values(target, _value_range(body, target), option, email)
        _with_values(sheet, result["updates"], params)
        return result
    if kind == "values.batchUpdate":
        m.check_message(body, "BatchUpdateValuesRequest")
        option = _input_option(body.get("valueInputOption"))
        data = body.get("data") or []
        for item in data:  # check every range first: a batch is all or nothing
            target_sheet, box = sheet.resolve(item.get("range") or "")
            values = _value_range(item, None)
            if values:
                sheet.check_editable(target_sheet, m.Box(
                    box.r0, box.c0, box.r0 + len(values),
                    box.c0 + max(len(r) for r in values)), email)
        responses = [_with_values(sheet, sheet.update_values(
            item["range"], _value_range(item, None), option, email), body) for item in data]
        return {"spreadsheetId": sheet.key,
                "totalUpdatedRows": sum(r.get("updatedRows", 0) for r in responses),
                "totalUpdatedColumns": sum(r.get("updatedColumns", 0) for r in responses),
                "totalUpdatedCells": sum(r.get("updatedCells", 0) for r in responses),
                "totalUpdatedSheets": len({r["updatedRange"].rsplit("!", 1)[0]
                                           for r in responses if "updatedRange" in r}),
                "responses": responses}
    if kind == "batchUpdate":
        return sheet.batch_update(body, email)
    raise m.ApiError(404, "Method not found.")


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
            pretty = (_one(query, "prettyPrint") or "").lower() == "true"
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
