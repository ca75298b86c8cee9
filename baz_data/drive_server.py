"""Drive API v3 ``files.get`` for the Sheets-API test server (sheets_server.py): test equipment.

The dashboard asks Google Drive for a spreadsheet's ``version`` and ``modifiedTime`` to learn,
cheaply and outside the Sheets read quota, whether anything changed (baz_data.drive_probe). The
test server answers that call for the spreadsheets it serves, the way www.googleapis.com does::

    GET /drive/v3/files/{fileId}?fields=version,modifiedTime&supportsAllDrives=true

* ``version`` is a string holding a number that moves on every write through the Sheets API
  (sheets_model.Spreadsheet.touch); ``modifiedTime`` is RFC 3339 UTC with milliseconds.
* Without ``fields`` Drive v3 returns only ``kind``, ``id``, ``name`` and ``mimeType``.
* A file the caller cannot see is a 404 "File not found: {id}." (Drive never says 403 for an
  unshared file); a token without a Drive scope is a 403 ``insufficientPermissions``; with the
  Drive API switched off for the project (:meth:`SheetsTestServer.disable_drive`) every call is
  the 403 ``accessNotConfigured`` Google sends when "Google Drive API has not been used in
  project … before or it is disabled". The error bodies carry Drive's ``errors`` list (domain,
  reason) next to code, message and status, as Google's do.

Error policy: every refusal is a :class:`DriveError` with Google's body; nothing else is raised.
"""
from __future__ import annotations

from typing import Any

from .sheets_model import Spreadsheet
from .sheets_schema import ApiError, select_fields

FILES_GET = "drive.files.get"              # the request kind in SheetsTestServer.counts
FILES_PREFIX = "/drive/v3/files/"
SCOPE = "https://www.googleapis.com/auth/"
# Scopes that may read a file's metadata (Drive v3 discovery document, files.get).
READ_SCOPES = {SCOPE + s for s in ("drive", "drive.readonly", "drive.metadata",
                                   "drive.metadata.readonly", "drive.file", "drive.appdata",
                                   "drive.photos.readonly", "drive.meet.readonly")}
BOOL = "boolean"
# files.get query parameters (Drive v3 discovery document), besides the standard ones.
FILES_GET_PARAMS: dict[str, Any] = {"acknowledgeAbuse": BOOL, "includeLabels": None,
                                    "includePermissionsForView": ("published",),
                                    "supportsAllDrives": BOOL, "supportsTeamDrives": BOOL}
DEFAULT_FIELDS = ("kind", "id", "name", "mimeType")
SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet"
PROJECT_NUMBER = "123456789012"            # the project in the 'API disabled' message


class DriveError(ApiError):
    """An error answer in Drive's shape: code, message, status and ``errors`` [{domain, reason,
    message, …}]."""

    def __init__(self, code: int, message: str, reason: str, domain: str = "global",
                 item_message: str | None = None, **extra: str):
        super().__init__(code, message)
        self.reason, self.domain = reason, domain
        self.item = {"message": item_message or message, "domain": domain, "reason": reason,
                     **extra}

    def body(self) -> dict:
        body = super().body()
        body["error"]["errors"] = [self.item]
        return body


def route(method: str, path: str) -> str | None:
    """The file id of a ``files.get`` path, None for any other path."""
    if method != "GET" or not path.startswith(FILES_PREFIX):
        return None
    file_id = path[len(FILES_PREFIX):]
    return file_id if file_id and "/" not in file_id else None


def not_found(file_id: str) -> DriveError:
    return DriveError(404, f"File not found: {file_id}.", "notFound", location="fileId",
                      locationType="parameter")


def insufficient_scopes() -> DriveError:
    return DriveError(403, "Request had insufficient authentication scopes.",
                      "insufficientPermissions", item_message="Insufficient Permission")


def api_disabled(project: str = PROJECT_NUMBER) -> DriveError:
    message = (f"Google Drive API has not been used in project {project} before or it is "
               "disabled. Enable it by visiting https://console.developers.google.com/apis/api/"
               f"drive.googleapis.com/overview?project={project} then retry. If you enabled this "
               "API recently, wait a few minutes for the action to propagate to our systems and "
               "retry.")
    return DriveError(403, message, "accessNotConfigured", domain="usageLimits",
                      extendedHelp="https://console.developers.google.com/apis/api/"
                                   f"drive.googleapis.com/overview?project={project}")


def resource(book: Spreadsheet) -> dict:
    """The file as Drive describes it (all the fields this server knows)."""
    modified = book.modified.strftime("%Y-%m-%dT%H:%M:%S.") + \
        f"{book.modified.microsecond // 1000:03d}Z"
    return {"kind": "drive#file", "id": book.key, "name": book.title,
            "mimeType": SPREADSHEET_MIME, "version": str(book.version),
            "modifiedTime": modified}


def files_get(book: Spreadsheet | None, file_id: str, email: str, scopes: frozenset[str],
              fields: str | None, enabled: bool = True) -> dict:
    """One ``files.get``: the checks in Google's order (API switched on, scope, visibility)."""
    if not enabled:
        raise api_disabled()
    if not scopes & READ_SCOPES:
        raise insufficient_scopes()
    if book is None or email not in book.readers:
        raise not_found(file_id)
    found = resource(book)
    if not fields:
        return {k: found[k] for k in DEFAULT_FIELDS}
    return select_fields(found, fields)
