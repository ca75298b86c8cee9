"""The test server's Drive files.get (baz_data.drive_server): version and modifiedTime as Drive
gives them, moved by every write, and Drive's refusals in Google's shape."""
from __future__ import annotations

import datetime as dt

import pytest
import requests

from baz_data import drive_server
from baz_data.gsheets import READ_SCOPES, WRITE_SCOPES, make_client

from .conftest import base_tabs

FIELDS = {"fields": "version,modifiedTime", "supportsAllDrives": "true"}


def get(server, key, params=FIELDS, scopes=READ_SCOPES) -> requests.Response:
    client = make_client(server.service_account_info, scopes=scopes, sheets_api_url=server.url)
    return client.http_client.session.get(f"{server.url}/drive/v3/files/{key}", params=params)


@pytest.fixture
def key(sheets_server):
    return sheets_server.add_spreadsheet(base_tabs(), title="Jaarplan")


def test_version_and_modified_time_as_drive_writes_them(sheets_server, key):
    answer = get(sheets_server, key)
    assert answer.status_code == 200
    data = answer.json()
    assert set(data) == {"version", "modifiedTime"}
    assert isinstance(data["version"], str) and int(data["version"]) >= 1
    moment = dt.datetime.strptime(data["modifiedTime"], "%Y-%m-%dT%H:%M:%S.%fZ")
    assert abs(moment - dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)) < dt.timedelta(
        minutes=1)
    assert sheets_server.counts["drive.files.get"] == 1
    assert sheets_server.sheets_reads() == 0                      # not a Sheets read


def test_without_fields_only_drives_default_fields(sheets_server, key):
    data = get(sheets_server, key, params={}).json()
    assert data == {"kind": "drive#file", "id": key, "name": "Jaarplan",
                    "mimeType": "application/vnd.google-apps.spreadsheet"}


def test_every_kind_of_write_moves_the_version_and_a_read_does_not(sheets_server, key):
    client = make_client(sheets_server.service_account_info, scopes=WRITE_SCOPES,
                         sheets_api_url=sheets_server.url).http_client

    def version() -> int:
        return int(get(sheets_server, key).json()["version"])

    seen = [version()]
    client.values_get(key, "Partners!A1:B2")
    assert version() == seen[-1]
    client.values_update(key, "Partners!B2", params={"valueInputOption": "RAW"},
                         body={"values": [["Nieuw"]]})
    seen.append(version())
    client.values_append(key, "Partners!A1", params={"valueInputOption": "RAW"},
                         body={"values": [["EKC", "EKC vzw"]]})
    seen.append(version())
    client.batch_update(key, {"requests": [{"addSheet": {"properties": {"title": "Nota"}}}]})
    seen.append(version())
    sheets_server.touch(key)                                      # a change that is no value
    seen.append(version())
    assert seen == sorted(set(seen)) and len(seen) == 5
    first = get(sheets_server, key).json()["modifiedTime"]
    client.values_update(key, "Partners!B3", params={"valueInputOption": "RAW"},
                         body={"values": [["Later"]]})
    assert get(sheets_server, key).json()["modifiedTime"] > first


def test_a_failed_write_does_not_move_the_version(sheets_server, key):
    client = make_client(sheets_server.service_account_info, scopes=WRITE_SCOPES,
                         sheets_api_url=sheets_server.url).http_client
    before = get(sheets_server, key).json()["version"]
    with pytest.raises(Exception):
        client.values_update(key, "Bestaat niet!A1", params={"valueInputOption": "RAW"},
                             body={"values": [["x"]]})
    assert get(sheets_server, key).json()["version"] == before


def test_an_unshared_file_is_not_found_as_drive_says(sheets_server):
    key = sheets_server.add_spreadsheet(base_tabs(), writers=())
    answer = get(sheets_server, key)
    assert answer.status_code == 404
    error = answer.json()["error"]
    assert error["message"] == f"File not found: {key}."
    assert error["errors"][0]["reason"] == "notFound"


def test_a_token_without_a_drive_scope_is_insufficient_permissions(sheets_server, key):
    answer = get(sheets_server, key, scopes=READ_SCOPES[:1])       # spreadsheets.readonly only
    assert answer.status_code == 403
    error = answer.json()["error"]
    assert error["message"] == "Request had insufficient authentication scopes."
    assert error["errors"][0]["reason"] == "insufficientPermissions"


def test_the_drive_api_switched_off_is_access_not_configured(sheets_server, key):
    sheets_server.disable_drive()
    answer = get(sheets_server, key)
    assert answer.status_code == 403
    error = answer.json()["error"]
    assert error["status"] == "PERMISSION_DENIED"
    assert "Google Drive API has not been used in project" in error["message"]
    assert error["errors"][0] == {**error["errors"][0], "reason": "accessNotConfigured",
                                  "domain": "usageLimits"}
    assert drive_server.PROJECT_NUMBER in error["errors"][0]["extendedHelp"]


def test_unknown_parameters_are_refused_and_a_token_is_needed(sheets_server, key):
    assert get(sheets_server, key, params={"bogus": "1"}).status_code == 400
    assert requests.get(f"{sheets_server.url}/drive/v3/files/{key}").status_code == 401


def test_failures_can_be_injected_for_drive_alone(sheets_server, key):
    sheets_server.fail(503, times=1, kinds=[drive_server.FILES_GET])
    assert get(sheets_server, key).status_code == 503
    assert get(sheets_server, key).status_code == 200
