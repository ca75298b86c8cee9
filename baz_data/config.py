"""Settings from ``.streamlit/secrets.toml``, and which source the app and the CLI read.

The file uses the layout of st-gsheets-connection, so existing secrets can be reused::

    [connections.gsheets]
    spreadsheet = "https://docs.google.com/spreadsheets/d/…/edit"   # or just the key
    type = "service_account"
    project_id = "…"
    private_key_id = "…"
    private_key = "…"   # the whole private_key value from the JSON key file
    client_email = "…@….iam.gserviceaccount.com"
    client_id = "…"
    auth_uri = "https://accounts.google.com/o/oauth2/auth"
    token_uri = "https://oauth2.googleapis.com/token"
    # optional, for this dashboard:
    sheets_api_url = "http://127.0.0.1:8765"   # another Sheets-API-compatible endpoint
    timeout = 20                                # seconds per request
    cache_ttl = 300                             # seconds the app keeps data before re-reading
    probe_interval = 15                         # seconds between two checks for changes
    drive_api_url = "http://127.0.0.1:8765"     # another Drive-API endpoint (for the probe)

Login (docs/login.md) is Streamlit's own ``[auth]`` section (``st.login``); these settings only
say whether it is there and which of its keys are missing, never their values. A real spreadsheet
without ``[auth]`` is shown only with ``allow_open_access = true`` (at the top of the file, or in
``[connections.gsheets]``). ``trust_unverified_email = true`` in ``[auth]`` lets in e-mail
addresses the login provider did not mark as verified (baz_data.access.email_verified).

Like Streamlit, the file is looked up in ``./.streamlit/secrets.toml``, then
``~/.streamlit/secrets.toml``. Secrets are never printed: :class:`Settings` and
:class:`ServiceAccountInfo` hide the private key in their repr.

Error policy: a missing default file means "no settings" (the demo workbook is used); a file
given explicitly that is missing, invalid TOML or values of the wrong type raise
:class:`SourceError` with a Dutch message.
"""
from __future__ import annotations

import logging
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .live import DEFAULT_PROBE_INTERVAL
from .sources import Source, SourceError, WorkbookSource, demo_source

SECTION = ("connections", "gsheets")
SECRET_FIELDS = frozenset({"private_key", "private_key_id"})
ACCOUNT_FIELDS = ("type", "project_id", "private_key_id", "private_key", "client_email",
                  "client_id", "auth_uri", "token_uri", "auth_provider_x509_cert_url",
                  "client_x509_cert_url", "universe_domain")
AUTH_SHARED_KEYS = ("redirect_uri", "cookie_secret")
AUTH_PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")
DEFAULT_TIMEOUT = 20.0
DEFAULT_CACHE_TTL = 300
log = logging.getLogger(__name__)
WORKBOOK_ENV = "BAZ_WORKBOOK"     # a path to a .xlsx/.ods that overrides the configured source
WORKBOOK, GSHEETS, DEMO = "workbook", "gsheets", "demo"   # source_kind() results


class ServiceAccountInfo(dict):
    """The service-account fields; a dict (google-auth takes it as is) that hides its secrets."""

    def __repr__(self) -> str:
        return repr({k: ("***" if k in SECRET_FIELDS else v) for k, v in self.items()})

    __str__ = __repr__


@dataclass(frozen=True)
class Settings:
    spreadsheet: str | None = None
    service_account: ServiceAccountInfo | None = field(default=None, repr=False)
    sheets_api_url: str | None = None
    drive_api_url: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    cache_ttl: int = DEFAULT_CACHE_TTL
    probe_interval: float = DEFAULT_PROBE_INTERVAL
    path: Path | None = None          # the file these came from, None when there was none
    has_auth: bool = False            # an [auth] section: everyone logs in (st.login)
    auth_missing: tuple[str, ...] = ()  # names of required [auth] keys missing or empty
    auth_provider: str | None = None  # a named provider ([auth.<name>]) instead of the default
    allow_open_access: bool = False   # show a real spreadsheet without login, deliberately
    trust_unverified_email: bool = False  # [auth]: let in addresses the provider did not verify
    redirect_uri: str | None = None   # [auth] redirect_uri (an address, not a secret)
    auth_metadata_url: str | None = None  # the provider's server_metadata_url (not a secret)

    @property
    def client_email(self) -> str | None:
        return self.service_account.get("client_email") if self.service_account else None

    def __repr__(self) -> str:
        return (f"Settings(spreadsheet={self.spreadsheet!r}, client_email={self.client_email!r}, "
                f"private_key={'***' if self.service_account else None}, "
                f"sheets_api_url={self.sheets_api_url!r}, timeout={self.timeout!r}, "
                f"cache_ttl={self.cache_ttl!r}, probe_interval={self.probe_interval!r}, "
                f"drive_api_url={self.drive_api_url!r}, path={self.path!r}, has_auth={self.has_auth!r}, "
                f"allow_open_access={self.allow_open_access!r}, "
                f"trust_unverified_email={self.trust_unverified_email!r})")


def default_secrets_paths() -> list[Path]:
    return [Path.cwd() / ".streamlit" / "secrets.toml", Path.home() / ".streamlit" / "secrets.toml"]


def load_settings(secrets_path: str | Path | None = None) -> Settings:
    """Read ``[connections.gsheets]``; without a file (or section) the settings are empty."""
    if secrets_path is not None:
        path = Path(secrets_path)
        if not path.is_file():
            raise SourceError(f"Secrets-bestand '{path}' niet gevonden.")
    else:
        path = next((p for p in default_secrets_paths() if p.is_file()), None)
        if path is None:
            return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        # The screen gets Dutch only; tomllib's own (English) text goes to the log and stays
        # in the exception chain (never a value from the file: secrets live there).
        log.warning("secrets file %s is not valid TOML: %s", path, exc)
        raise SourceError(f"'{path}' is geen geldig TOML-bestand{_where(exc)}. Controleer de "
                          "[secties], de aanhalingstekens en de = tussen naam en waarde.") from exc
    section: Any = data
    for name in SECTION:
        section = section.get(name, {}) if isinstance(section, dict) else {}
    if not isinstance(section, dict):
        raise SourceError(f"[connections.gsheets] in '{path}' moet een tabel zijn.")
    has_auth, auth_missing, auth_provider = _auth(data, path)
    redirect_uri, metadata_url = _auth_addresses(data, auth_provider)
    return Settings(
        has_auth=has_auth, auth_missing=auth_missing, auth_provider=auth_provider,
        redirect_uri=redirect_uri, auth_metadata_url=metadata_url,
        allow_open_access=_flag(data, section, "allow_open_access", path),
        trust_unverified_email=_auth_flag(data, "trust_unverified_email", path),
        spreadsheet=_text(section, "spreadsheet", path),
        service_account=_account(section),
        sheets_api_url=_text(section, "sheets_api_url", path),
        drive_api_url=_text(section, "drive_api_url", path),
        timeout=_number(section, "timeout", DEFAULT_TIMEOUT, path),
        cache_ttl=int(_number(section, "cache_ttl", DEFAULT_CACHE_TTL, path)),
        probe_interval=_number(section, "probe_interval", DEFAULT_PROBE_INTERVAL, path),
        path=path,
    )


def _where(exc: Exception) -> str:
    """' (regel 3)' from tomllib's '(at line 3, column 5)'; '' when it does not say."""
    if isinstance(exc, UnicodeDecodeError):
        return " (geen UTF-8-tekst)"
    found = re.search(r"at line (\d+)", str(exc))
    return f" (fout op regel {found.group(1)})" if found else ""


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _auth(data: dict, path: Path) -> tuple[bool, tuple[str, ...], str | None]:
    """Whether [auth] is there, which required keys it lacks (names only) and which provider
    st.login should use: Streamlit's default ([auth] holds the client itself) or the one named
    provider section ([auth.google]) when [auth] holds only the shared keys."""
    auth = data.get("auth")
    if auth is None:
        return False, (), None
    if not isinstance(auth, dict):
        raise SourceError(f"[auth] in '{path}' moet een tabel zijn.")
    missing = [k for k in AUTH_SHARED_KEYS if _blank(auth.get(k))]
    named = [name for name, value in auth.items() if isinstance(value, dict)]
    provider = None
    client: dict = auth
    if named and all(_blank(auth.get(k)) for k in AUTH_PROVIDER_KEYS):
        provider, client = named[0], auth[named[0]]
    prefix = f"{provider}." if provider else ""
    missing += [prefix + k for k in AUTH_PROVIDER_KEYS if _blank(client.get(k))]
    return True, tuple(missing), provider


def _auth_addresses(data: dict, provider: str | None) -> tuple[str | None, str | None]:
    """[auth]'s redirect_uri and the provider's server_metadata_url: addresses that `doctor`
    checks, never secrets (client_secret and cookie_secret are never read out)."""
    auth = data.get("auth")
    if not isinstance(auth, dict):
        return None, None
    client = auth.get(provider) if provider else auth
    return _address(auth, "redirect_uri"), _address(client, "server_metadata_url")


def _address(table: Any, key: str) -> str | None:
    value = table.get(key) if isinstance(table, dict) else None
    return value.strip() if isinstance(value, str) and value.strip() else None


def _flag(data: dict, section: dict, name: str, path: Path) -> bool:
    """A true/false setting, at the top of the file or in [connections.gsheets]."""
    value = data.get(name, section.get(name, False))
    if not isinstance(value, bool):
        raise SourceError(f"'{name}' in '{path}' moet true of false zijn (zonder aanhalingstekens).")
    return value


def _auth_flag(data: dict, name: str, path: Path) -> bool:
    """A true/false setting in [auth] (Streamlit passes only its own keys on to the provider)."""
    auth = data.get("auth")
    value = auth.get(name, False) if isinstance(auth, dict) else False
    if not isinstance(value, bool):
        raise SourceError(f"'{name}' in [auth] van '{path}' moet true of false zijn (zonder "
                          "aanhalingstekens).")
    return value


def _text(section: dict, name: str, path: Path) -> str | None:
    value = section.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise SourceError(f"'{name}' in '{path}' moet tekst zijn (tussen aanhalingstekens).")
    return value.strip()


def _number(section: dict, name: str, default: float, path: Path) -> float:
    value = section.get(name, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise SourceError(f"'{name}' in '{path}' moet een positief getal (seconden) zijn.")
    return float(value)


def _account(section: dict) -> ServiceAccountInfo | None:
    """The service-account fields, or None when none are filled in (st-gsheets-connection leaves
    them empty for public spreadsheets)."""
    info = ServiceAccountInfo({k: str(v) for k, v in section.items()
                               if k in ACCOUNT_FIELDS and str(v).strip()})
    if not info.get("private_key") and not info.get("client_email"):
        return None
    key = info.get("private_key", "")
    if "\\n" in key and "\n" not in key:  # pasted with literal \n (a '''literal''' TOML string)
        info["private_key"] = key.replace("\\n", "\n")
    return info


def workbook_override() -> str | None:
    """The workbook named in the environment (BAZ_WORKBOOK), which the app reads instead of
    the configured source."""
    return os.environ.get(WORKBOOK_ENV) or None


def source_kind(settings: Settings | None, workbook: str | None = None,
                sheet: str | None = None) -> str:
    """Which kind of source to read, decided without reading it, in this order: an explicit
    workbook file; an explicit spreadsheet; the spreadsheet configured in the settings; the
    bundled demo. ``settings`` may be None when a workbook is given (they are not needed)."""
    if workbook:
        return WORKBOOK
    if sheet or (settings is not None and settings.spreadsheet):
        return GSHEETS
    return DEMO


def make_source(workbook: str | None = None, sheet: str | None = None,
                secrets_path: str | None = None) -> Source:
    """The source :func:`source_kind` names (credentials for a spreadsheet from secrets)."""
    settings = None if workbook else load_settings(secrets_path)
    kind = source_kind(settings, workbook, sheet)
    if kind == WORKBOOK:
        return WorkbookSource(Path(workbook))
    if kind == DEMO:
        return demo_source()
    return google_source(sheet or settings.spreadsheet, settings)


def google_source(spreadsheet: str, settings: Settings) -> Source:
    from .gsheets import GoogleSheetsSource  # gspread only when a spreadsheet is configured

    if settings.service_account is None:
        where = f"'{settings.path}'" if settings.path else ".streamlit/secrets.toml"
        raise SourceError(
            f"Om spreadsheet '{spreadsheet}' te lezen is een serviceaccount nodig: vul in {where} "
            "onder [connections.gsheets] de velden uit het JSON-sleutelbestand in (type, "
            "client_email, private_key, token_uri, …). Zie docs/google-sheets.md.")
    return GoogleSheetsSource(spreadsheet, settings.service_account,
                              sheets_api_url=settings.sheets_api_url,
                              drive_api_url=settings.drive_api_url, timeout=settings.timeout)
