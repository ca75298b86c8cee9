"""Sign-in for the Sheets-API test server: service accounts, the token endpoint, Bearer tokens.

:func:`make_service_account` makes a new RSA key as a Google service-account JSON (the dict
google-auth reads). :class:`Accounts` knows each account's public keys and the tokens it handed
out: :meth:`Accounts.grant` is the JWT bearer grant (RFC 7523) of
``oauth2.googleapis.com/token`` (an RS256 assertion signed by a registered key, audience Google's
token URI or this server's, at least one Sheets or Drive scope), and
:meth:`Accounts.authenticate` checks an API request's Bearer token (or ``access_token``
parameter), giving the account's e-mail and scopes. Counting and scripted failures of the token
endpoint are the server's (sheets_server.py). Test equipment, not product.

Error policy: a refused grant is OAuth's error body (``error``, ``error_description``) with its
status, returned, never raised; a missing, unknown or expired token raises
sheets_schema.ApiError 401 with Google's wording.
"""
from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass
from typing import Mapping
from urllib.parse import parse_qs

from .sheets_faults import MESSAGES
from .sheets_schema import ApiError, one

GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"  # the audience google-auth always signs
JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
SCOPE = "https://www.googleapis.com/auth/"
READ_SCOPES = {SCOPE + s for s in ("spreadsheets", "spreadsheets.readonly", "drive",
                                   "drive.readonly", "drive.file")}
WRITE_SCOPES = {SCOPE + s for s in ("spreadsheets", "drive", "drive.file")}


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


class Accounts:
    """Registered service accounts and the access tokens handed out to them (thread-safe)."""

    def __init__(self, token_lifetime: int = 3599):
        self.token_lifetime = token_lifetime
        self._lock = threading.Lock()
        self._accounts: dict[str, _Account] = {}
        self._tokens: dict[str, tuple[str, frozenset[str], float]] = {}

    def add(self, email: str, key_id: str, public_pem: str) -> None:
        with self._lock:
            self._accounts.setdefault(email, _Account(email, {})).keys[key_id] = public_pem

    def emails(self) -> set[str]:
        with self._lock:
            return set(self._accounts)

    def expire_tokens(self) -> None:
        with self._lock:
            self._tokens.clear()

    def authenticate(self, headers: Mapping[str, str], query: Mapping[str, list[str]]
                     ) -> tuple[str, frozenset[str]]:
        """(e-mail, scopes) of the request's token."""
        auth = headers.get("Authorization", "")
        token = auth[7:].strip() if auth.lower().startswith("bearer ") else one(
            query, "access_token")
        if not token:
            raise ApiError(401, "Request is missing required authentication credential. "
                                "Expected OAuth 2 access token, login cookie or other valid "
                                "authentication credential. See "
                                "https://developers.google.com/identity/sign-in/web/"
                                "devconsole-project.")
        with self._lock:
            entry = self._tokens.get(token)
        if entry is None or entry[2] < time.time():
            raise ApiError(401, MESSAGES[401])
        return entry[0], entry[1]

    def grant(self, body: bytes, token_uri: str) -> tuple[int, dict]:
        """The service-account JWT bearer grant (RFC 7523), as oauth2.googleapis.com/token."""
        from google.auth import jwt

        form = parse_qs(body.decode("utf-8", "replace"))
        if one(form, "grant_type") != JWT_GRANT:
            return 400, {"error": "unsupported_grant_type",
                         "error_description": f"Invalid grant_type: {one(form, 'grant_type')}"}
        assertion = one(form, "assertion") or ""
        try:
            unverified = jwt.decode(assertion, verify=False)
            account = self._accounts.get(unverified.get("iss", ""))
            if account is None:
                return 400, {"error": "invalid_grant", "error_description": "Invalid grant: "
                                                                            "account not found"}
            claims = jwt.decode(assertion, certs=account.keys, clock_skew_in_seconds=10)
        except (ValueError, KeyError) as exc:
            return 400, {"error": "invalid_grant", "error_description": f"Invalid JWT: {exc}"}
        if claims.get("aud") not in (GOOGLE_TOKEN_URI, token_uri):
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
