"""pytest fixture ``sheets_server``: a Sheets-API-v4-compatible server on 127.0.0.1.

One server and one service account (a real 2048-bit RSA key) per test session; each test gets
it reset (no spreadsheets, failures, delays or counts). The object it yields has ``.url``,
``.service_account_info`` (token_uri pointing at the server), ``.add_spreadsheet(tabs) -> key``,
``.fail(status, times, kinds, answer)`` (answer: an odd answer such as an HTML 502
page, see baz_data/sheets_faults.py), ``.slow(seconds)``, ``.counts`` and ``.reset()``; see
baz_data/sheets_server.py for the rest.
"""
from __future__ import annotations

import pytest

from baz_data.sheets_server import SheetsTestServer


class SheetsServerFixture(SheetsTestServer):
    service_account_info: dict[str, str]


@pytest.fixture(scope="session")
def _sheets_server_session():
    server = SheetsServerFixture()
    server.start()
    server.service_account_info = server.create_account()
    yield server
    server.stop()


@pytest.fixture
def sheets_server(_sheets_server_session) -> SheetsServerFixture:
    _sheets_server_session.reset()
    yield _sheets_server_session
    _sheets_server_session.reset()
