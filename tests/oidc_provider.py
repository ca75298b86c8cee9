"""A tiny OpenID Connect provider for tests: the real login round trip without Google.

A stdlib ``ThreadingHTTPServer`` on 127.0.0.1 (a free port) that speaks just enough OIDC for
Streamlit's ``st.login`` (Authlib underneath), in the spirit of Streamlit's own end-to-end
``oidc_mock_server``:

* ``/.well-known/openid-configuration``: the metadata document (``server_metadata_url``);
* ``/authorize``: checks client_id and redirect_uri and answers with a code for the current user
  (``provider.login_as(email)``), or — with ``auto_approve=False`` — shows a small HTML form to
  choose one of ``users``;
* ``/token``: exchanges the code (single use; client secret via Basic auth or the form; PKCE S256
  when the client sent a challenge) for an RS256-signed ``id_token`` carrying ``email``,
  ``email_verified``, ``name``, ``sub``, ``aud``, ``iss``, ``iat``, ``exp`` and the ``nonce`` of
  the authorize request, plus an access token. ``email_verified`` is whatever the user was given
  (``True``, ``False``, ``None``, a text such as ``"FALSE"``), or left out for ``NO_CLAIM``, so
  tests can play Google (a boolean) as well as providers that send none (Entra ID);
* ``/jwks``: the public key; ``/userinfo``: the claims for the access token;
* ``/logout``: the end_session_endpoint, redirecting to ``post_logout_redirect_uri``.

Every request is recorded in ``provider.requests`` (path and query, never secrets), so a test can
check that a login really went through the provider. Usage::

    with OIDCProvider(client_id="baz", client_secret="s3cret") as idp:
        idp.login_as("baz@atk.example.org", "Partner ATK")
        ... server_metadata_url = idp.metadata_url ...

Run ``python -m tests.oidc_provider --email x@y.z`` to try it by hand.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

KID = "baz-test-key"
NO_CLAIM = object()   # email_verified=NO_CLAIM: the id_token has no email_verified claim at all


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _uint(value: int) -> str:
    return _b64(value.to_bytes((value.bit_length() + 7) // 8, "big"))


@dataclass
class User:
    email: str
    name: str = ""
    email_verified: object = True      # any JSON value, or NO_CLAIM to leave the claim out

    @property
    def sub(self) -> str:
        """A stable subject per e-mail, as a provider keeps one per account."""
        return hashlib.sha256(self.email.casefold().encode()).hexdigest()[:24]


@dataclass
class _Grant:
    user: User
    client_id: str
    redirect_uri: str
    nonce: str | None
    scope: str
    code_challenge: str | None
    code_challenge_method: str | None
    created: float = field(default_factory=time.monotonic)


class OIDCProvider:
    """Start with ``start()`` (or ``with``); ``issuer`` and ``metadata_url`` are then known."""

    CODE_LIFETIME = 120  # seconds

    def __init__(self, client_id: str = "baz-dashboard-test", client_secret: str = "test-secret",
                 users: list[User] | None = None, auto_approve: bool = True,
                 host: str = "127.0.0.1", port: int = 0, token_lifetime: int = 3600) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.users: list[User] = list(users or [])
        self.current: User | None = self.users[0] if self.users else None
        self.auto_approve = auto_approve
        self.token_lifetime = token_lifetime
        self.requests: list[tuple[str, str]] = []      # (method, path?query)
        self.issued: list[dict] = []                   # claims of every id_token issued
        self.logouts = 0
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._codes: dict[str, _Grant] = {}
        self._access: dict[str, dict] = {}
        self._lock = threading.Lock()
        self._host, self._port = host, port
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------------
    def start(self) -> "OIDCProvider":
        provider = self

        class Handler(_Handler):
            idp = provider

        self._server = ThreadingHTTPServer((self._host, self._port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="oidc-provider",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> "OIDCProvider":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def issuer(self) -> str:
        assert self._server is not None, "start() the provider first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def metadata_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    # -- users -------------------------------------------------------------------------------------
    def login_as(self, email: str, name: str = "", email_verified: object = True) -> User:
        """The account the next /authorize approves (auto_approve), added to ``users``."""
        user = next((u for u in self.users if u.email == email), None)
        if user is None:
            user = User(email, name or email.split("@")[0], email_verified)
            self.users.append(user)
        else:
            user.name, user.email_verified = name or user.name, email_verified
        self.current = user
        return user

    # -- protocol pieces ---------------------------------------------------------------------------
    def metadata(self) -> dict:
        base = self.issuer
        return {
            "issuer": base,
            "authorization_endpoint": f"{base}/authorize",
            "token_endpoint": f"{base}/token",
            "jwks_uri": f"{base}/jwks",
            "userinfo_endpoint": f"{base}/userinfo",
            "end_session_endpoint": f"{base}/logout",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "claims_supported": ["sub", "iss", "aud", "exp", "iat", "nonce", "email",
                                 "email_verified", "name"],
            "code_challenge_methods_supported": ["S256"],
        }

    def jwks(self) -> dict:
        numbers = self._key.public_key().public_numbers()
        return {"keys": [{"kty": "RSA", "use": "sig", "alg": "RS256", "kid": KID,
                          "n": _uint(numbers.n), "e": _uint(numbers.e)}]}

    def public_key_pem(self) -> bytes:
        return self._key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)

    def sign(self, claims: dict) -> str:
        header = {"alg": "RS256", "typ": "JWT", "kid": KID}
        signing_input = ".".join(_b64(json.dumps(part, separators=(",", ":")).encode())
                                 for part in (header, claims))
        signature = self._key.sign(signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
        return f"{signing_input}.{_b64(signature)}"

    def claims_for(self, user: User, nonce: str | None = None) -> dict:
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": self.client_id, "azp": self.client_id, "sub": user.sub,
                  "email": user.email, "email_verified": user.email_verified,
                  "name": user.name, "iat": now, "exp": now + self.token_lifetime}
        if user.email_verified is NO_CLAIM:
            del claims["email_verified"]
        if nonce:
            claims["nonce"] = nonce
        return claims

    def issue_code(self, user: User, query: dict[str, str]) -> str:
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._codes[code] = _Grant(
                user, query["client_id"], query["redirect_uri"], query.get("nonce"),
                query.get("scope", "openid"), query.get("code_challenge"),
                query.get("code_challenge_method"))
        return code

    def exchange(self, form: dict[str, str], basic: tuple[str, str] | None) -> tuple[int, dict]:
        """The token endpoint: (HTTP status, JSON body)."""
        client_id, client_secret = basic or (form.get("client_id"), form.get("client_secret"))
        if client_id != self.client_id or client_secret != self.client_secret:
            return 401, {"error": "invalid_client"}
        if form.get("grant_type") != "authorization_code":
            return 400, {"error": "unsupported_grant_type"}
        with self._lock:
            grant = self._codes.pop(form.get("code", ""), None)  # single use
        if grant is None or time.monotonic() - grant.created > self.CODE_LIFETIME:
            return 400, {"error": "invalid_grant", "error_description": "unknown or used code"}
        if grant.client_id != client_id or grant.redirect_uri != form.get("redirect_uri"):
            return 400, {"error": "invalid_grant", "error_description": "redirect_uri mismatch"}
        if grant.code_challenge:
            verifier = form.get("code_verifier", "")
            expected = (_b64(hashlib.sha256(verifier.encode()).digest())
                        if grant.code_challenge_method == "S256" else verifier)
            if expected != grant.code_challenge:
                return 400, {"error": "invalid_grant", "error_description": "PKCE failed"}
        claims = self.claims_for(grant.user, grant.nonce)
        access_token = secrets.token_urlsafe(24)
        with self._lock:
            self._access[access_token] = claims
            self.issued.append(claims)
        return 200, {"access_token": access_token, "token_type": "Bearer",
                     "expires_in": self.token_lifetime, "scope": grant.scope,
                     "id_token": self.sign(claims)}

    def userinfo(self, access_token: str) -> dict | None:
        with self._lock:
            claims = self._access.get(access_token)
        if claims is None:
            return None
        return {k: claims[k] for k in ("sub", "email", "email_verified", "name") if k in claims}


class _Handler(BaseHTTPRequestHandler):
    idp: OIDCProvider
    server_version = "BAZTestOIDC/1.0"

    def log_message(self, format, *args) -> None:  # quiet: pytest shows failures, not traffic
        pass

    # -- helpers -------------------------------------------------------------------------------
    def _json(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _html(self, status: int, body: str) -> None:
        data = f"<!doctype html><html lang='nl'><meta charset='utf-8'><body>{body}</body></html>".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _query(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}

    def _form(self) -> dict[str, str]:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        return {k: v[0] for k, v in parse_qs(body).items()}

    def _basic(self) -> tuple[str, str] | None:
        header = self.headers.get("Authorization", "")
        if not header.startswith("Basic "):
            return None
        from urllib.parse import unquote

        user, _, password = base64.b64decode(header[6:]).decode().partition(":")
        return unquote(user), unquote(password)

    def _record(self) -> str:
        path = urlsplit(self.path).path
        self.idp.requests.append((self.command, path))
        return path

    # -- routes --------------------------------------------------------------------------------
    def do_GET(self) -> None:
        path = self._record()
        idp = self.idp
        if path == "/.well-known/openid-configuration":
            return self._json(200, idp.metadata())
        if path == "/jwks":
            return self._json(200, idp.jwks())
        if path == "/authorize":
            return self._authorize(self._query())
        if path == "/userinfo":
            header = self.headers.get("Authorization", "")
            info = idp.userinfo(header[7:]) if header.startswith("Bearer ") else None
            return self._json(200, info) if info else self._json(401, {"error": "invalid_token"})
        if path == "/logout":
            idp.logouts += 1
            target = self._query().get("post_logout_redirect_uri")
            return self._redirect(target) if target else self._html(200, "<p>Afgemeld.</p>")
        self._json(404, {"error": "not_found"})

    def do_POST(self) -> None:
        path = self._record()
        if path == "/token":
            status, body = self.idp.exchange(self._form(), self._basic())
            return self._json(status, body)
        if path == "/authorize":  # the user chose an account in the form
            form = self._form()
            user = next((u for u in self.idp.users if u.email == form.get("email")), None)
            if user is None:
                return self._html(400, "<p>Onbekende gebruiker.</p>")
            return self._approve(user, form)
        self._json(404, {"error": "not_found"})

    def _authorize(self, query: dict[str, str]) -> None:
        idp = self.idp
        if query.get("client_id") != idp.client_id or not query.get("redirect_uri"):
            return self._html(400, "<p>Onbekende client of geen redirect_uri.</p>")
        if query.get("response_type") != "code":
            return self._redirect_error(query, "unsupported_response_type")
        if idp.auto_approve and idp.current is not None:
            return self._approve(idp.current, query)
        hidden = "".join(f"<input type='hidden' name='{html.escape(k)}' value='{html.escape(v)}'>"
                         for k, v in query.items())
        buttons = "".join(
            f"<button type='submit' name='email' value='{html.escape(u.email)}' "
            f"id='user-{i}'>{html.escape(u.name or u.email)} ({html.escape(u.email)})</button><br>"
            for i, u in enumerate(idp.users))
        self._html(200, f"<h1>Kies een account</h1><form method='post' action='/authorize'>"
                        f"{hidden}{buttons}</form>")

    def _approve(self, user: User, query: dict[str, str]) -> None:
        code = self.idp.issue_code(user, query)
        params = {"code": code}
        if "state" in query:
            params["state"] = query["state"]
        separator = "&" if "?" in query["redirect_uri"] else "?"
        self._redirect(f"{query['redirect_uri']}{separator}{urlencode(params)}")

    def _redirect_error(self, query: dict[str, str], error: str) -> None:
        params = {"error": error, **({"state": query["state"]} if "state" in query else {})}
        self._redirect(f"{query['redirect_uri']}?{urlencode(params)}")


def main() -> None:  # pragma: no cover - for trying it by hand
    import argparse

    parser = argparse.ArgumentParser(description="Kleine OIDC-testprovider")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--email", action="append", default=[])
    parser.add_argument("--client-id", default="baz-dashboard-test")
    parser.add_argument("--client-secret", default="test-secret")
    args = parser.parse_args()
    users = [User(e, e.split("@")[0]) for e in args.email]
    idp = OIDCProvider(args.client_id, args.client_secret, users, auto_approve=len(users) == 1,
                       port=args.port).start()
    print(f"server_metadata_url = \"{idp.metadata_url}\"", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        idp.stop()


if __name__ == "__main__":  # pragma: no cover
    main()
