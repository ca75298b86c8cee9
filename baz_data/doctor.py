"""``python -m baz_data doctor``: check the whole set-up, one Dutch line per check.

Checks, in order: the secrets file, the spreadsheet (shared with the service account), its tabs and
columns (naming the tabs the app writes itself, such as Afrekeningen), ``[auth]``, the login
provider's discovery document, the redirect URI against where the app runs, the history database
(opened and migrated as the app does), and the Drive change probe the app uses to follow edits.

Each check answers one question a person setting up the dashboard has ("is my secrets file
there?", "can the service account read the spreadsheet?", …) through the same code the app runs
(baz_data.config for the settings and the source, baz_data.model for the tabs, the login
provider's discovery document the way Streamlit's st.login fetches it), never a copy of it.

A check is ``ok`` (✔), failed (✘, with what to do) or not run (–) because an earlier check it
needs failed; only a run where every check is ✔ exits 0. Secrets are never printed: the details
name files, addresses, tab names and the service account's e-mail, never a key, client secret or
cookie secret (a test greps the output for them).

Error policy: no check raises. A failure of the thing checked (a SourceError, an HTTP error, a
timeout, a broken document) is that check's ✘ with a Dutch message; an unexpected exception in a
check is a ✘ naming its type (detail to the log), so one broken check never hides the others.
"""
from __future__ import annotations

import json
import logging
import stat
import tomllib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .config import Settings, load_settings, make_source, source_kind, DEMO
from .sources import RawWorkbook, SourceError

log = logging.getLogger(__name__)
OK, FAILED, SKIPPED = "ok", "fout", "niet gecontroleerd"
MARK = {OK: "✔", FAILED: "✘", SKIPPED: "–"}
DEFAULT_PORT = 8501
CALLBACK_PATH = "/oauth2callback"      # the path Streamlit's st.login serves the redirect on
METADATA_KEYS = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
DOCS_SETUP = "docs/hosting.md"
# What the app's refusal and error screens say to whoever manages the installation.
HINT = ("Beheer je het dashboard? `python -m baz_data doctor` kijkt de hele installatie na en "
        f"zegt per stap wat er ontbreekt (zie {DOCS_SETUP}).")


@dataclass(frozen=True)
class Check:
    code: str                  # stable identifier, for --json and monitoring
    title: str                 # what is checked, in Dutch
    status: str                # OK, FAILED or SKIPPED
    detail: str                # what was found (never a secret)
    fix: str | None = None     # what to do, when the check failed

    @property
    def ok(self) -> bool:
        return self.status == OK


@dataclass
class Context:
    """What the checks share: the options, and what earlier checks found."""

    secrets_path: str | None = None
    app_url: str | None = None         # where the app runs, as users open it
    history_url: str | None = None     # --history: the history database, else as the app finds it
    timeout: float = 10.0
    settings: Settings | None = None
    raw: RawWorkbook | None = None
    source: object | None = None       # the GoogleSheetsSource, once the spreadsheet was read
    extra: dict = field(default_factory=dict)


def check_secrets(ctx: Context) -> Check:
    title = "Secrets-bestand"
    try:
        ctx.settings = load_settings(ctx.secrets_path)
    except SourceError as exc:
        return Check("secrets", title, FAILED, str(exc),
                     "Verbeter het bestand (kopieer zo nodig .streamlit/secrets.toml.example).")
    path = ctx.settings.path
    if path is None:
        return Check("secrets", title, FAILED,
                     "Geen .streamlit/secrets.toml gevonden (in deze map of in je thuismap): het "
                     "dashboard toont dan het demowerkboek.",
                     "Kopieer .streamlit/secrets.toml.example naar .streamlit/secrets.toml en vul "
                     "het in (docs/google-sheets.md).")
    if path.stat().st_mode & stat.S_IROTH:
        return Check("secrets", title, FAILED,
                     f"'{path}' is leesbaar voor iedereen op deze computer, en het bevat de sleutel "
                     "van het serviceaccount.",
                     f"Maak het alleen leesbaar voor de gebruiker die het dashboard draait: "
                     f"chmod 600 '{path}'.")
    return Check("secrets", title, OK, f"'{path}' gelezen.")


def check_spreadsheet(ctx: Context) -> Check:
    title = "Spreadsheet bereikbaar"
    if ctx.settings is None:
        return Check("spreadsheet", title, SKIPPED, "Eerst moet het secrets-bestand in orde zijn.")
    if source_kind(ctx.settings) == DEMO:
        return Check("spreadsheet", title, FAILED,
                     "Er is geen spreadsheet ingesteld: het dashboard toont het demowerkboek.",
                     "Zet onder [connections.gsheets] 'spreadsheet' (de URL of de sleutel).")
    account = ctx.settings.client_email or "het serviceaccount"
    try:
        ctx.source = make_source(secrets_path=ctx.secrets_path)
        ctx.raw = ctx.source.read()
    except SourceError as exc:
        return Check("spreadsheet", title, FAILED, str(exc),
                     f"Deel de spreadsheet met {account} (als lezer) en controleer de sleutel; "
                     "zie docs/google-sheets.md.")
    return Check("spreadsheet", title, OK,
                 f"'{ctx.raw.info.label}' gelezen als {account}.")


def check_tabs(ctx: Context) -> Check:
    title = "Tabbladen en kolommen"
    if ctx.raw is None:
        return Check("tabs", title, SKIPPED, "Eerst moet de spreadsheet gelezen kunnen worden.")
    from .completeness import missing_tabs
    from .model import build_dataset

    missing = missing_tabs(build_dataset(ctx.raw).problems)
    own = "".join(f" Het tabblad {t} houdt het dashboard zelf bij (afgesloten kwartalen)."
                  for t in _app_tabs(ctx))
    if missing:
        return Check("tabs", title, FAILED, " ".join(m.message for m in missing) + own,
                     "Zet de tabbladen en kolomkoppen terug zoals in de README, of vul ontbrekende "
                     "tabbladen aan met: python -m baz_data init-sheet --dry-run.")
    return Check("tabs", title, OK, "Elk tabblad en elke verplichte kolom is er." + own)


def _app_tabs(ctx: Context) -> list[str]:
    """The tabs of the spreadsheet that the app writes itself (schema.APP_TABS), as spelled
    there: from the metadata of the read that just ran (a Google Sheet reads only the schema
    tabs), or from the workbook's tabs."""
    from .gsheets import GoogleSheetsSource
    from .parsing import normalize_code
    from .schema import APP_TABS

    if isinstance(ctx.source, GoogleSheetsSource):
        try:
            names = list(ctx.source.metadata().sheet_ids)
        except SourceError:
            return []
    else:
        names = list(ctx.raw.tabs) if ctx.raw else []
    wanted = {normalize_code(t) for t in APP_TABS}
    return [n for n in names if normalize_code(n) in wanted]


def check_auth(ctx: Context) -> Check:
    title = "Aanmelding ([auth])"
    s = ctx.settings
    if s is None:
        return Check("auth", title, SKIPPED, "Eerst moet het secrets-bestand in orde zijn.")
    if not s.has_auth:
        if s.allow_open_access:
            return Check("auth", title, OK,
                         "Geen aanmelding, bewust gekozen (allow_open_access = true): iedereen die "
                         "het dashboard kan openen, ziet alles van alle partners.")
        return Check("auth", title, FAILED,
                     "Er is geen sectie [auth]: het dashboard weigert dan een echte spreadsheet te "
                     "tonen.",
                     "Vul [auth] in zoals in docs/login.md (of kies bewust allow_open_access = "
                     "true).")
    if s.auth_missing:
        names = ", ".join(s.auth_missing)
        return Check("auth", title, FAILED, f"In [auth] ontbreekt: {names}.",
                     "Vul die sleutels in zoals in docs/login.md.")
    return Check("auth", title, OK, "[auth] is volledig ingevuld.")


def _needs_auth(ctx: Context, code: str, title: str, key: str,
                get: Callable[[Settings], str | None]) -> Check | None:
    """The answer for a login check that cannot or need not run; None when it can."""
    s = ctx.settings
    if s is None:
        return Check(code, title, SKIPPED, "Eerst moet het secrets-bestand in orde zijn.")
    if not s.has_auth:
        if s.allow_open_access:
            return Check(code, title, OK, "Niet nodig: er is bewust geen aanmelding ingesteld.")
        return Check(code, title, SKIPPED, "Er is geen aanmelding ingesteld ([auth]).")
    if not get(s):
        return Check(code, title, SKIPPED, f"{key} ontbreekt in [auth].")
    return None


def check_provider(ctx: Context) -> Check:
    title = "Loginprovider bereikbaar"
    if (early := _needs_auth(ctx, "provider", title, "server_metadata_url",
                                lambda s: s.auth_metadata_url)) is not None:
        return early
    s = ctx.settings
    url = s.auth_metadata_url
    import requests

    fix = ("Controleer server_metadata_url in [auth] (voor Google: https://accounts.google.com/"
           ".well-known/openid-configuration) en of deze computer dat adres bereikt.")
    try:
        answer = requests.get(url, timeout=ctx.timeout)
    except requests.RequestException as exc:
        log.info("discovery document %s: %s", url, exc)
        return Check("provider", title, FAILED, f"'{url}' is niet bereikbaar "
                     f"({type(exc).__name__}).", fix)
    if answer.status_code != 200:
        return Check("provider", title, FAILED,
                     f"'{url}' antwoordt met HTTP {answer.status_code}.", fix)
    try:
        document = answer.json()
    except ValueError:
        document = None
    lacking = [k for k in METADATA_KEYS if not isinstance(document, dict) or not document.get(k)]
    if lacking:
        return Check("provider", title, FAILED,
                     f"'{url}' is geen OpenID-Connect-document (ontbreekt: {', '.join(lacking)}).",
                     fix)
    return Check("provider", title, OK, f"'{document['issuer']}' antwoordt.")


def app_url(given: str | None, config_path: Path = Path(".streamlit/config.toml")) -> str:
    """Where the app runs: the given address, else localhost on the port (and base path) of
    .streamlit/config.toml, as ``streamlit run app.py`` would serve it."""
    if given:
        return given.rstrip("/")
    server: dict = {}
    try:
        server = tomllib.loads(config_path.read_text(encoding="utf-8")).get("server", {})
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        pass
    port = server.get("port", DEFAULT_PORT)
    base = str(server.get("baseUrlPath", "")).strip("/")
    return f"http://localhost:{port}" + (f"/{base}" if base else "")


def check_redirect(ctx: Context) -> Check:
    title = "Redirect-URI"
    if (early := _needs_auth(ctx, "redirect", title, "redirect_uri",
                                lambda s: s.redirect_uri)) is not None:
        return early
    s = ctx.settings
    where = app_url(ctx.app_url)
    expected = where + CALLBACK_PATH
    given = urlsplit(s.redirect_uri)
    fix = (f"Zet redirect_uri = \"{expected}\" in [auth] en voeg precies dat adres toe bij de "
           "toegestane redirect-URI's van je OAuth-client (docs/login.md). Draait de app op een "
           "ander adres, geef het mee: doctor --url https://…")
    if given.path.rstrip("/") != urlsplit(expected).path:
        return Check("redirect", title, FAILED,
                     f"'{s.redirect_uri}' eindigt niet op {CALLBACK_PATH} onder het adres van de "
                     "app.", fix)
    app = urlsplit(where)
    if (given.scheme, given.netloc.lower()) != (app.scheme, app.netloc.lower()):
        return Check("redirect", title, FAILED,
                     f"'{s.redirect_uri}' wijst naar {given.scheme}://{given.netloc}, maar de app "
                     f"draait op {app.scheme}://{app.netloc}.", fix)
    if given.scheme != "https" and given.hostname not in ("localhost", "127.0.0.1"):
        return Check("redirect", title, FAILED,
                     f"'{s.redirect_uri}' gebruikt geen https: loginproviders weigeren dat buiten "
                     "localhost.", "Zet het dashboard achter HTTPS (docs/hosting.md).")
    return Check("redirect", title, OK, f"'{s.redirect_uri}' past bij {where}.")


def check_history(ctx: Context) -> Check:
    """The history database the app would use (baz_data.history.settings), opened and migrated
    to this version's schema the way the app opens it."""
    title = "Geschiedenisdatabase"
    from .history.settings import history_url
    from .history.store import HistoryStore, display_url

    try:
        url = history_url(ctx.history_url, ctx.secrets_path)
        store = HistoryStore(url)
        first = store.first()
    except SourceError as exc:
        return Check("history", title, FAILED, str(exc),
                     "Controleer url in [connections.history] (of --history) en of de database "
                     "bereikbaar is; zonder instelling gebruikt het dashboard "
                     ".streamlit/baz-history.sqlite3 (README, Geschiedenis).")
    since = (f"bewaart standen sinds {first.taken_at:%d/%m/%Y}" if first
             else "nog geen standen bewaard")
    return Check("history", title, OK, f"{display_url(url)} bereikbaar, schemaversie "
                 f"{store.schema_version()}; {since}.")


def check_live(ctx: Context) -> Check:
    """The Drive change probe the app uses to follow edits (GoogleSheetsSource.probe)."""
    title = "Live volgen (Drive)"
    if ctx.source is None:   # set only for a Google Sheet that could be read
        return Check("live", title, SKIPPED, "Eerst moet de spreadsheet gelezen kunnen worden.")
    try:
        ctx.source.probe()
    except SourceError as exc:
        return Check("live", title, FAILED, str(exc),
                     "Schakel de Google Drive API in voor het project van het serviceaccount "
                     "(docs/google-sheets.md). Zonder volgt het dashboard wijzigingen alleen "
                     "volgens cache_ttl.")
    return Check("live", title, OK, "De Drive API antwoordt: wijzigingen verschijnen vanzelf.")


CHECKS: list[Callable[[Context], Check]] = [
    check_secrets, check_spreadsheet, check_tabs, check_auth, check_provider, check_redirect,
    check_history, check_live,
]


def run_checks(ctx: Context, checks: list[Callable[[Context], Check]] | None = None
               ) -> list[Check]:
    """Every check in order; a check that raises becomes a ✘ (module docstring)."""
    results = []
    for check in checks or CHECKS:
        try:
            results.append(check(ctx))
        except Exception as exc:  # noqa: BLE001 — one broken check must not hide the others
            log.exception("doctor check %s failed", check.__name__)
            results.append(Check(check.__name__.removeprefix("check_"), check.__name__,
                                 FAILED, f"De controle liep vast ({type(exc).__name__}).",
                                 "Meld dit aan wie het dashboard beheert."))
    return results


def all_ok(results: list[Check]) -> bool:
    return all(r.ok for r in results)


def render_text(results: list[Check]) -> str:
    lines = []
    for r in results:
        lines.append(f"{MARK[r.status]} {r.title}: {r.detail}")
        if r.fix and r.status == FAILED:
            lines.append(f"    → {r.fix}")
    passed = sum(r.ok for r in results)
    lines += ["", f"{passed} van {len(results)} controles in orde."
              + ("" if passed == len(results) else f" Uitleg per stap: {DOCS_SETUP}.")]
    return "\n".join(lines)


def render_json(results: list[Check]) -> str:
    return json.dumps({"ok": all_ok(results), "checks": [asdict(r) for r in results]},
                      ensure_ascii=False, indent=2)
