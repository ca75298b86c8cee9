"""pytest fixture ``sheets_server``: a Sheets-API-v4-compatible server on 127.0.0.1.

One server and one service account (a real 2048-bit RSA key) per test session; each test gets
it reset (no spreadsheets, failures, delays or counts). The object it yields has ``.url``,
``.service_account_info`` (token_uri pointing at the server), ``.add_spreadsheet(tabs) -> key``,
``.write(key, cells, values)`` (an edit through the API), ``.fail(status, times, kinds, answer)`` (answer: an odd answer such as an HTML 502
page, see baz_data/sheets_faults.py), ``.slow(seconds)``, ``.counts`` and ``.reset()``; see
baz_data/sheets_server.py for the rest.
"""
from __future__ import annotations

import pytest

from baz_data.sheets_server import SheetsTestServer


class SheetsServerFixture(SheetsTestServer):
    service_account_info: dict[str, str]

    def write(self, key: str, cells: str, values: list[list]) -> None:
        """Write through the Sheets API with the service account, as a partner's edit in the
        sheet would arrive (USER_ENTERED; the file's Drive version moves)."""
        from baz_data.gsheets import WRITE_SCOPES, make_client

        client = make_client(self.service_account_info, scopes=WRITE_SCOPES,
                             sheets_api_url=self.url)
        client.http_client.values_update(key, cells, params={"valueInputOption": "USER_ENTERED"},
                                         body={"values": values})


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
