"""Has the spreadsheet changed? Drive's ``version`` of the file, in one small request.

Google Drive keeps a ``version`` (a number that grows with every change) and a ``modifiedTime``
for every file, a spreadsheet too. One ``files.get`` with ``fields=version,modifiedTime`` reads
both; it is a Drive API call, so it does not count against the service account's 60 Sheets read
requests a minute. The dashboard probes this every few seconds (app_state, once for the whole
server) and reads the sheets only when the stamp moved.

* :meth:`DriveProbe.stamp` returns an opaque text ("version@modifiedTime"); only equality
  matters. It needs the scope ``drive.metadata.readonly`` (gsheets.READ_SCOPES asks for it) and
  the Google Drive API switched on in the service account's project.
* ``supportsAllDrives=true``: a spreadsheet on a shared drive is otherwise "not found".
* ``drive_api_url`` points the probe elsewhere (the local test server, drive_server.py), like
  ``sheets_api_url`` does for the reads; ``https://www.googleapis.com`` by default.

Error policy: nothing is retried here (the next probe is the retry). What will not mend by
itself raises :class:`ProbeUnavailable`, a SourceError with a Dutch message naming what to do:
the Drive API switched off (403 ``accessNotConfigured``), the scope missing (403
``insufficientPermissions``), the file invisible to Drive (404), an address that answers but not
as the Drive API. What may mend (429, 5xx, a 403 rate limit, a timeout, no connection, an odd
answer) raises a plain :class:`SourceError` (Dutch). English detail goes to the log, never to the
screen; the caller keeps its data either way.
"""
from __future__ import annotations

import logging
from typing import Any

import requests
from google.auth import exceptions as auth_exceptions
from gspread.exceptions import APIError

from .formatting import fmt_number
from .sources import ProbeUnavailable, SourceError

DRIVE_API_ROOT = "https://www.googleapis.com"
PROBE_SCOPE = "https://www.googleapis.com/auth/drive.metadata.readonly"
PROBE_PARAMS = {"fields": "version,modifiedTime", "supportsAllDrives": "true"}
ENABLE_STEP = "APIs & Services → Library → Google Drive API → Enable"
log = logging.getLogger(__name__)


def normalize_drive_root(url: str | None) -> str:
    """'http://host:port', '…/' and '…/drive/v3' all mean the same root."""
    if not url:
        return DRIVE_API_ROOT
    return url.rstrip("/").removesuffix("/drive/v3").rstrip("/")


class DriveProbe:
    """The Drive stamp of one file, through an HTTP client that carries the account's token."""

    def __init__(self, key: str, http_client: Any, account: str, *,
                 drive_api_url: str | None = None, timeout: float = 20.0) -> None:
        self.key, self.account, self.timeout = key, account, timeout
        self.http_client = http_client      # gspread HTTPClient: raises APIError on non-2xx
        self.url = f"{normalize_drive_root(drive_api_url)}/drive/v3/files/{key}"

    def __repr__(self) -> str:
        return f"DriveProbe(key={self.key!r}, url={self.url!r})"

    def stamp(self) -> str:
        """'version@modifiedTime' of the file now. Raises ProbeUnavailable or SourceError."""
        try:
            answer = self.http_client.request("get", self.url, params=dict(PROBE_PARAMS))
            data = answer.json()
        except APIError as exc:
            raise self._refusal(exc) from exc
        except requests.JSONDecodeError as exc:
            log.warning("Drive files.get answered a body that is not JSON: %.200r", exc.doc)
            raise SourceError("Google Drive antwoordde met onleesbare gegevens op de vraag of "
                              "de spreadsheet veranderde.") from exc
        except auth_exceptions.GoogleAuthError as exc:
            log.warning("Drive probe could not sign in: %s", exc)
            raise SourceError(f"Aanmelden bij Google voor de versie van de spreadsheet is "
                              f"mislukt (serviceaccount {self.account}).") from exc
        except requests.Timeout as exc:
            raise SourceError(f"Google Drive antwoordde niet binnen "
                              f"{fmt_number(self.timeout)} seconden op de vraag of de "
                              "spreadsheet veranderde.") from exc
        except requests.ConnectionError as exc:
            raise SourceError("Google Drive is niet bereikbaar (of drive_api_url in "
                              "secrets.toml klopt niet).") from exc
        version = data.get("version") if isinstance(data, dict) else None
        modified = data.get("modifiedTime") if isinstance(data, dict) else None
        if not isinstance(version, (str, int)) or version in ("", None):
            log.warning("Drive files.get answered without a version: %.200r", data)
            raise SourceError("Google Drive gaf geen versie van de spreadsheet terug.")
        return f"{version}@{modified or ''}"

    def _refusal(self, exc: APIError) -> SourceError:
        status = exc.response.status_code if getattr(exc, "response", None) is not None \
            else exc.code
        error = exc.error if isinstance(exc.error, dict) else {}
        message = str(error.get("message", ""))
        reasons = {str(e.get("reason")) for e in error.get("errors", []) or []
                   if isinstance(e, dict)}
        log.warning("Drive files.get for %s answered HTTP %s %s: %.300s", self.key, status,
                    sorted(reasons), message)
        if exc.code <= 0 and status not in (429,) and status < 500:
            return ProbeUnavailable(
                f"Het adres voor Google Drive antwoordt niet als de Drive API (HTTP {status}). "
                "Controleer drive_api_url (of sheets_api_url) in secrets.toml.")
        if status == 403 and ("accessNotConfigured" in reasons or "has not been used" in message
                              or "is disabled" in message):
            return ProbeUnavailable(
                "De Google Drive API staat niet aan in het Google Cloud-project van het "
                f"serviceaccount {self.account}. Zet ze aan ({ENABLE_STEP}) om wijzigingen in "
                "de spreadsheet vanzelf te tonen.")
        if status == 403 and ("insufficientPermissions" in reasons
                              or "insufficient authentication scopes" in message):
            return ProbeUnavailable(
                "Het serviceaccount mag de versie van de spreadsheet niet opvragen: de scope "
                "drive.metadata.readonly ontbreekt in het toegangstoken.")
        if status == 404:
            return ProbeUnavailable(
                f"Google Drive vindt de spreadsheet niet voor serviceaccount {self.account}. "
                "Controleer dat ze met dat adres gedeeld is (Delen → Lezer volstaat).")
        if status == 401:
            return SourceError(f"Google weigert de aanmelding van serviceaccount {self.account} "
                               "bij Google Drive. Controleer de sleutel in secrets.toml.")
        if status == 429 or reasons & {"userRateLimitExceeded", "rateLimitExceeded"}:
            # Drive's rate limits come as 403 too
            return SourceError("Google Drive weigert tijdelijk meer verzoeken; de volgende "
                               "controle probeert het opnieuw.")
        if status == 403:
            return ProbeUnavailable(f"Google Drive weigert serviceaccount {self.account} de "
                                    "versie van de spreadsheet (HTTP 403).")
        if status >= 500:
            return SourceError(f"Google Drive heeft een storing (HTTP {status}); de volgende "
                               "controle probeert het opnieuw.")
        return SourceError(f"Google Drive weigerde de vraag naar de versie van de spreadsheet "
                           f"(HTTP {status}).")
