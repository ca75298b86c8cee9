"""BAZ-dashboard: navigation, the data source and the shared sidebar.

Run with ``streamlit run app.py``; BAZ_WORKBOOK=path/to/werkboek.xlsx overrides the source.

The pages live in app_pages/, not pages/: when a folder named pages/ sits next to app.py,
Streamlit (1.67) still runs its legacy multipage mode, which executes pages/<name>.py directly
for a deep link or a sidebar click, without this file (no sidebar, no data).

Who sees what (docs/login.md): with ``[auth]`` in secrets.toml everyone logs in (st.login) and
gets a role from the Gebruikers tab; the navigation holds only the role's pages (another page is
not reachable by URL either) and the pages get only the role's data (baz_data.access, filtered
here on the server before a page runs). Without ``[auth]`` the demo is open; a real spreadsheet
is refused unless ``allow_open_access = true``.
"""
import streamlit as st

import app_access
import app_closing
import app_history
import app_state
import ui
import ui_history
from baz_data import access
from baz_data.doctor import HINT as DOCTOR_HINT
from baz_data.escaping import markdown as md
from baz_data.sources import SourceError

st.set_page_config(page_title="BAZ-dashboard", page_icon=":material/diversity_3:", layout="wide")

# page key (baz_data.access; also the file name in app_pages/) -> menu group, title, icon; in
# menu order
PAGES = {
    access.OVERZICHT: ("Overzicht", "Overzicht", ":material/dashboard:"),
    access.WEEKOVERLEG: ("BAZIEL-team", "Weekoverleg", ":material/groups:"),
    access.DATAKWALITEIT: ("BAZIEL-team", "Datakwaliteit", ":material/fact_check:"),
    access.KWARTAALOVERZICHT: ("Stuurgroep", "Kwartaaloverzicht", ":material/summarize:"),
    access.DOELSTELLINGEN: ("Stuurgroep", "Doelstellingen", ":material/flag:"),
    access.BEGROTINGSEVALUATIE: ("Stuurgroep", "Begrotingsevaluatie", ":material/query_stats:"),
    access.UREN_PER_PARTNER: ("Partners", "Uren per partner", ":material/schedule:"),
}


def stop(script: str = "") -> None:
    """End the run of a screen without sidebar. The page is marked Dutch here, below the
    screen: the (invisible) element would add a gap above it."""
    ui.page_script(script)
    st.stop()


def only(render, title: str, icon: str, remember_page: bool = False) -> None:
    """A screen without data as the only page: every URL shows it (the pages' own addresses
    too, so a deep link gets no "page not found"). Ends the run. ``remember_page``: the login
    screen notes which page was asked for, to go there after login."""
    page = st.navigation(app_access.screen_pages(render, title, icon, list(PAGES)),
                         position="hidden")
    page.run()
    stop(app_access.remember_page_script(page.url_path) if remember_page else "")


try:
    gate = app_access.gate()
except SourceError as exc:
    st.error(f"De instellingen konden niet gelezen worden. {md(exc)}", icon=":material/settings_alert:")
    st.caption(DOCTOR_HINT)
    stop()

if gate.mode == access.REFUSE:
    only(app_access.refused_screen(), "Geen gegevens zonder aanmelding", ":material/lock:")
if gate.mode == access.LOGIN:
    if gate.auth_missing:
        only(app_access.auth_incomplete_screen(gate.auth_missing), "Aanmelding niet ingesteld",
             ":material/lock:")
    if not app_access.logged_in():
        only(app_access.login_screen(gate.provider), "Aanmelden", ":material/login:",
             remember_page=True)

try:
    held = app_state.load()
except SourceError as exc:
    st.error(f"De gegevens konden niet geladen worden. {md(exc)}", icon=":material/cloud_off:")
    st.caption(DOCTOR_HINT)
    if gate.mode == access.LOGIN:
        app_access.logout_button()
    stop()

who = app_access.role(held.ds, gate.mode, gate.trust_unverified_email)
# the closed quarters (history) travel with the data, filtered for the role with it
full, version = app_closing.with_closes(held.ds, held.version)
ds = app_access.visible(full, version, who)
if ds is None:
    only(app_access.no_access_screen(who, access.access_contacts(held.ds),
                                     app_access.email_verified(gate.trust_unverified_email)),
         "Geen toegang", ":material/block:")
# "Zoals op" (history): the Dataset stored then, filtered for the role like the live one
shown_ds, past_version = ui_history.as_of(held)
if past_version is not None:
    ds = app_access.visible(shown_ds, past_version, who)

allowed = access.allowed_pages(who)
app_state.show(who, ds, past_version or version)
menu: dict[str, list] = {}
for key, (group, title, icon) in PAGES.items():
    if key in allowed:
        menu.setdefault(group, []).append(
            st.Page(ui.page_file(key), title=title, icon=icon, default=key == access.OVERZICHT))
page = st.navigation(menu)

ui.sidebar(held, ds, problems_link=access.DATAKWALITEIT in allowed,
           can_refresh=access.may_refresh(who),
           as_of=app_history.as_of() if past_version is not None else None)
app_access.sidebar_identity(gate.mode, who)
with st.sidebar:  # last in the sidebar: the element's gap is out of sight there
    ui.page_script(app_access.after_login_script(allowed) if gate.mode == access.LOGIN else "")
ui.stale_notice(held)
ui_history.history_notice()
ui.incomplete_notice(ds)
page.run()
