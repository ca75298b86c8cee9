"""Failure injection for the Sheets-API test server (sheets_server.py): scripted rules and odd
answers.

A rule fails the next requests with a status, delays them, or makes their answer odd the way
Google's sometimes is: its front end's HTML page for a 502 (not the API's JSON error), a 200 whose
JSON breaks off halfway, a batchGet with fewer valueRanges than asked, or one whose ``range``
names another tab. Test equipment, not product.

Error policy: an unknown odd answer is a ValueError when the rule is made (a mistake in a test).
"""
from __future__ import annotations

import json
from dataclasses import dataclass

# Google's wording for the statuses tests can ask for.
MESSAGES = {
    400: "Request contains an invalid argument.",
    401: "Request had invalid authentication credentials. Expected OAuth 2 access token, login "
         "cookie or other valid authentication credential. See "
         "https://developers.google.com/identity/sign-in/web/devconsole-project.",
    403: "The caller does not have permission",
    404: "Requested entity was not found.",
    429: "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute per "
         "user' of service 'sheets.googleapis.com' for consumer 'project_number:0'.",
    500: "Internal error encountered.",
    503: "The service is currently unavailable.",
}

# Odd answers fail() can serve instead of Google's JSON error (see the module docstring).
HTML, MALFORMED_JSON, MISSING_RANGES, WRONG_RANGE = ("html", "malformed-json", "missing-ranges",
                                                     "wrong-range")
ANSWERS = (HTML, MALFORMED_JSON, MISSING_RANGES, WRONG_RANGE)
# What Google's front end serves for a 502 (not the API's JSON error).
GOOGLE_502_PAGE = """<!DOCTYPE html>
<html lang=en>
  <meta charset=utf-8>
  <meta name=viewport content="initial-scale=1, minimum-scale=1, width=device-width">
  <title>Error 502 (Server Error)!!1</title>
  <a href=//www.google.com/><span id=logo aria-label=Google></span></a>
  <p><b>502.</b> <ins>That\u2019s an error.</ins>
  <p>The server encountered a temporary error and could not complete your request.<p>Please try
  again in 30 seconds.  <ins>That\u2019s all we know.</ins>
"""


@dataclass
class Rule:
    """A scripted misbehaviour: fail with ``status`` or sleep ``seconds``, ``times`` times;
    ``answer`` (one of ANSWERS) says how the answer is odd."""
    status: int | None
    seconds: float
    times: int | None            # None = until reset()
    kinds: frozenset[str] | None
    answer: str | None = None

    def applies(self, kind: str) -> bool:
        if self.kinds is None:
            return kind != "token"
        return kind in self.kinds


@dataclass(frozen=True)
class RawAnswer:
    """A body sent as is (not JSON-encoded): an HTML page, a cut-off JSON text."""
    data: bytes
    content_type: str


def spoil(payload: dict, answer: str) -> dict | RawAnswer:
    """A correct answer made odd the way ``answer`` says."""
    if answer == MALFORMED_JSON:  # as when the connection breaks off halfway
        text = json.dumps(payload, ensure_ascii=False).encode()
        return RawAnswer(text[:max(1, len(text) // 2)], "application/json; charset=UTF-8")
    ranges = list(payload.get("valueRanges", []))
    if answer == MISSING_RANGES and ranges:
        return {**payload, "valueRanges": ranges[:-1]}
    if answer == WRONG_RANGE and len(ranges) > 1:
        return {**payload, "valueRanges": ranges[:-1] + [{**ranges[-1], "range": ranges[0]["range"]}]}
    return payload
