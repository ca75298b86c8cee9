"""Login and roles in the app: the Streamlit side of baz_data.access.

app.py asks this module, before anything is loaded or drawn:

1. the access mode (login / open demo / open allowed / refuse) from the settings and the source;
2. with login, who is logged in (``st.user``), and once the data is loaded their role from the
   Gebruikers tab (baz_data.access.resolve_role);
3. the data that role may see (baz_data.access.visible_dataset), which app_state hands to the
   pages instead of the full data, and the pages it may open (allowed_pages).

The screens without data live here too: the login screen, "geen toegang" for an e-mail that is
not in the Gebruikers tab (with whom to ask: e-mail addresses, never data), the refusal when a
real spreadsheet is configured without login, and the notice for an incomplete ``[auth]``.
Secrets never pass through this module: the settings only say *whether* ``[auth]`` is there and
*which* keys are missing, never their values.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from baz_data import access
from baz_data.access import OPEN_ALLOWED, OPEN_DEMO, Role
from baz_data.doctor import HINT as DOCTOR_HINT
from baz_data.escaping import markdown as md
from baz_data.model import Dataset

DOCS = "docs/login.md"


# -- mode -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Gate:
    """What the settings say about access (no secrets: booleans and key names only)."""

    mode: str                          # access.LOGIN / OPEN_DEMO / OPEN_ALLOWED / REFUSE
    auth_missing: tuple[str, ...] = ()  # [auth] keys that are missing or empty
    provider: str | None = None        # st.login(provider); None is Streamlit's default
    trust_unverified_email: bool = False  # [auth]: let in addresses the provider did not verify


def gate() -> Gate:
    """The access mode of this app. A broken secrets file raises SourceError (Dutch message)."""
    from baz_data.config import load_settings, source_kind, workbook_override

    settings = load_settings()
    kind = source_kind(settings, workbook_override())
    mode = access.access_mode(settings.has_auth, kind, settings.allow_open_access)
    return Gate(mode, tuple(settings.auth_missing), settings.auth_provider,
                settings.trust_unverified_email)


# -- who is looking -------------------------------------------------------------------------------
def logged_in() -> bool:
    """Only Streamlit's own flag counts (an e-mail without it is not a login)."""
    return st.user.get("is_logged_in") is True


def email() -> str | None:
    value = st.user.get("email") if logged_in() else None
    return value.strip() if isinstance(value, str) and value.strip() else None


def email_verified(trust_unverified: bool = False) -> bool:
    """Whether the provider vouches for the address: only ``email_verified`` true counts
    (baz_data.access.email_verified), unless ``[auth] trust_unverified_email = true``."""
    return access.email_verified(st.user.get("email_verified"), trust_unverified)


def role(full: Dataset, mode: str, trust_unverified: bool = False) -> Role:
    """The role of whoever is looking: everyone in an open mode, the Gebruikers tab with login."""
    if mode in (OPEN_DEMO, OPEN_ALLOWED):
        return access.open_role()
    return access.resolve_role(full, email(), verified=email_verified(trust_unverified))


def visible(full: Dataset, version: tuple, who: Role) -> Dataset | None:
    """The role's Dataset: filtered once per data version and scope for the whole server and
    shared by every session with that scope (a session holds a reference, never a copy)."""
    if not who.known:
        return access.visible_dataset(full, who)
    return _visible(version, who.scope, who, _full=full)


@st.cache_resource(max_entries=16, show_spinner=False)
def _visible(version: tuple, scope: tuple, _who: Role, _full: Dataset) -> Dataset | None:
    # keyed by (version, scope) only: two roles with one scope see the same data
    return access.visible_dataset(_full, _who)


# -- sidebar --------------------------------------------------------------------------------------
def sidebar_identity(mode: str, who: Role | None) -> None:
    """Who is looking and how to leave; or that the app is open."""
    with st.sidebar:
        if mode == OPEN_DEMO:
            st.caption(":material/lock_open: Open demo, geen login")
        elif mode == OPEN_ALLOWED:
            st.caption(":material/lock_open: Open toegang, geen login: iedereen ziet alle gegevens")
        elif who is not None:
            st.markdown(f"**{md(who.label)}**")   # 'Partner <code from the sheets>'
            if who.email:
                st.caption(md(who.email))
            logout_button()


def logout_button() -> None:
    if st.button("Afmelden", key="baz_logout", icon=":material/logout:"):
        import app_state

        st.session_state.pop(app_state.SHOWN, None)   # nothing of this role stays in the session
        st.logout()
        # st.logout() only queues the redirect; the rest of the run would draw a page without
        # the data just removed (a KeyError in the server log on every logout)
        st.stop()


# -- screens without data -------------------------------------------------------------------------
# Each returns the page function (st.Page takes a callable; its name becomes the URL path).
def login_screen(provider: str | None = None) -> Callable[[], None]:
    def aanmelden() -> None:
        st.title("BAZ-dashboard")
        st.markdown("Meld je aan om de voortgang, de uren en het budget van BurgersAanZet te zien.")
        if st.button("Aanmelden", key="baz_login", type="primary", icon=":material/login:"):
            if provider:
                st.login(provider)
            else:
                st.login()
        st.caption("Partners zien hun eigen uren en bedragen; de stuurgroep en het BAZIEL-team "
                   "zien alles. Toegang vraag je aan het BAZIEL-team.")

    return aanmelden


def no_access_screen(who: Role, contacts: list[str], verified: bool = True
                     ) -> Callable[[], None]:
    """For a logged-in e-mail without a role, or whose address the provider did not verify:
    polite, with why and whom to ask, and no data."""
    def geen_toegang() -> None:
        st.title("Geen toegang")
        # The addresses as plain text (st.text, no Markdown): never a link, and copied exactly as
        # written; the contacts come from the Gebruikers tab.
        address = who.email or "(geen e-mailadres)"
        if who.email and not verified:
            st.text(f"Je bent aangemeld als {address}, maar je aanmeldprovider bevestigt niet dat "
                    "dit e-mailadres van jou is (het adres is niet bevestigd). Zonder die "
                    "bevestiging zou iemand anders zich met jouw adres kunnen aanmelden; daarom "
                    "laat het dashboard je niet binnen.")
            st.markdown("Bevestig het adres bij je aanmeldprovider en meld je opnieuw aan, of "
                        "meld je aan met een account waarvan het adres bevestigd is (zoals een "
                        "Google-account).")
        else:
            st.text(f"Je bent aangemeld als {address}, maar dat adres staat niet in de lijst van "
                    "gebruikers van het BAZ-dashboard.")
        ask = "Vermeld het adres waarmee je je aanmeldt en voor welke partner je werkt."
        if contacts:
            st.text(f"Vraag toegang aan het BAZIEL-team: {', '.join(contacts)}. {ask}")
        else:
            st.markdown(f"Vraag toegang aan het BAZIEL-team of aan de stuurgroep van "
                        f"BurgersAanZet. {ask}")
        if verified:  # being added to Gebruikers later does not help an unverified address
            st.markdown("Ben je net toegevoegd? Probeer het over enkele minuten opnieuw. Werk je "
                        "met een ander account, meld je dan af en opnieuw aan.")
        logout_button()

    return geen_toegang


def refused_screen() -> Callable[[], None]:
    """A real spreadsheet without [auth] and without allow_open_access: no data, and why."""
    def geen_gegevens() -> None:
        st.title("Het dashboard toont geen gegevens zonder aanmelding")
        st.markdown(
            "Er is een echte spreadsheet ingesteld in `.streamlit/secrets.toml`, maar geen "
            "aanmelding (de sectie `[auth]`). Zonder aanmelding zou iedereen die het dashboard "
            "opent de uren, medewerkers en bedragen van alle partners zien. Daarom toont het "
            "dashboard niets.")
        st.markdown(
            "Er zijn twee uitwegen:\n\n"
            "1. **Aanmelding instellen** (aanbevolen): vul de sectie `[auth]` in "
            f"`.streamlit/secrets.toml` in, zoals beschreven in `{DOCS}`. Dan ziet elke "
            "gebruiker alleen wat zijn rol in het tabblad Gebruikers toelaat.\n"
            "2. **Bewust open toegang kiezen**: zet `allow_open_access = true` bovenaan "
            "`.streamlit/secrets.toml`, vóór de eerste `[sectie]`. Dan ziet iedereen die het "
            "dashboard kan openen alles. Doe dat alleen op een computer die niemand anders "
            "bereikt.")
        st.caption("Herstart het dashboard na het aanpassen van secrets.toml.")
        st.caption(DOCTOR_HINT)

    return geen_gegevens


def auth_incomplete_screen(missing: tuple[str, ...]) -> Callable[[], None]:
    """[auth] is there but a key is missing: say which (names only, never values)."""
    def aanmelding_instellen() -> None:
        st.title("De aanmelding is niet volledig ingesteld")
        names = ", ".join(f"`{name}`" for name in missing)
        st.markdown(f"In de sectie `[auth]` van `.streamlit/secrets.toml` ontbreekt: {names}. "
                    f"Vul ze in zoals beschreven in `{DOCS}` en herstart het dashboard. "
                    "Tot dan toont het dashboard geen gegevens.")
        st.caption(DOCTOR_HINT)

    return aanmelding_instellen


def screen_pages(render: Callable[[], None], title: str, icon: str, keys: list[str]
                 ) -> list[st.Page]:
    """A data-less screen as the only page of the navigation, also under the address of every
    page (``keys``: their url paths): a deep link shows the screen, keeps its address, and gets
    no English "Page not found" from Streamlit."""
    return [st.Page(render, title=title, icon=icon, default=True)] + [
        st.Page(render, title=title, icon=icon, url_path=key) for key in keys]


# -- back to the page asked for, after login --------------------------------------------------------
# Streamlit's login always ends on the app's root in a new session (1.67: the /oauth2callback
# route redirects to the base URL, web/server/starlette/starlette_auth_routes.py), so neither
# the address nor session_state carries the page someone opened (a link in a mail to
# /kwartaaloverzicht). The browser tab does: the login screen writes the page's key in the
# tab's sessionStorage, and the first run after login reads it once and, if the role may open
# that page, loads it. Only keys of this app's pages are written or followed (no address from
# outside, so no open redirect); another tab or browser simply starts on Overzicht.
AFTER_LOGIN_KEY = "baz-na-aanmelden"


def remember_page_script(url_path: str) -> str:
    """For the login screen: note the page asked for (nothing for the root)."""
    if not url_path:
        return f"sessionStorage.removeItem({json.dumps(AFTER_LOGIN_KEY)});"
    return f"sessionStorage.setItem({json.dumps(AFTER_LOGIN_KEY)}, {json.dumps(url_path)});"


def after_login_script(allowed: list[str]) -> str:
    """For every logged-in run: open the noted page once, when it is among ``allowed``."""
    return (f"const wanted = sessionStorage.getItem({json.dumps(AFTER_LOGIN_KEY)});"
            f"sessionStorage.removeItem({json.dumps(AFTER_LOGIN_KEY)});"
            f"if ({json.dumps(allowed)}.includes(wanted)) {{"
            "  const base = location.pathname.replace(/[^/]*$/, '');"
            "  if (location.pathname !== base + wanted) location.replace(base + wanted);"
            "}")
