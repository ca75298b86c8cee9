"""Who sees what: the role of a logged-in e-mail and the data that role may see.

Roles come from the ``Gebruikers`` tab (E-mail, Rol, Partner), matched without regard to case or
surrounding spaces:

* ``stuurgroep`` and ``baziel`` see every page and every partner;
* ``partner`` sees the progress overview and the partner-hours page, and only its own hours,
  budget lines, expenses and users: no other partner's hours, people or amounts;
* an e-mail that is not in the tab sees nothing.

The filtering happens here, on the server, before a page gets the Dataset: a page (its widgets,
downloads and chart tooltips) can only show what :func:`visible_dataset` left in. No Streamlit
in this module, so the rules are tested without an app.

What a partner's Dataset holds (see :func:`visible_dataset`):

* ``hours``, ``budget``, ``expenses``, ``users``: only rows of its own partner (budget and
  expense lines without a partner are shared money, not the partner's, and are left out too);
* ``partners``: only its own organisation, so a per-partner table or a partner choice can only
  show itself;
* ``subprojects``, ``goals``, ``actions``, ``indicators``, ``measurements``: kept, so the progress
  overview works, but the person fields of other partners (the Verantwoordelijke of an action led
  by another partner, the Projectverantwoordelijke of a subproject led by another partner) are
  emptied: no other partner's people;
* ``problems``: the Uren/Begroting/Uitgaven/Gebruikers problems of its own rows only (a row's
  partner is known for the rows in the model, and for a problem in the Partner column itself);
  a problem on another partner's row, or on a row whose partner is unknown (an error row), is
  left out; header-row and whole-tab problems stay (they carry no row's values);
* ``row_dates``, ``excluded``, ``row_counts``: recomputed for what is left; ``extra`` (derived
  caches of the full data) is emptied;
* ``closes`` (the closed quarters, statements.Ledger): only its own frozen lines, the closes
  without who closed or reopened them and why, no audit list; a closed quarter's snapshot is
  filtered by this same function (statements.Ledger.for_partner).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd

from .config import DEMO, WORKBOOK
from .model import Dataset
from .parsing import normalize_code
from .problems import ERROR

STUURGROEP, BAZIEL, PARTNER = "stuurgroep", "baziel", "partner"
FULL_ROLES = (STUURGROEP, BAZIEL)

# Stable page keys (the app maps them to st.Page objects and URL paths).
OVERZICHT, WEEKOVERLEG, KWARTAALOVERZICHT = "overzicht", "weekoverleg", "kwartaaloverzicht"
UREN_PER_PARTNER, DOELSTELLINGEN, DATAKWALITEIT = "uren_per_partner", "doelstellingen", "datakwaliteit"
BEGROTINGSEVALUATIE = "begrotingsevaluatie"  # a partner sees its own lines only (its Dataset)
PAGES = (OVERZICHT, WEEKOVERLEG, KWARTAALOVERZICHT, UREN_PER_PARTNER, DOELSTELLINGEN, DATAKWALITEIT,
         BEGROTINGSEVALUATIE)
PARTNER_PAGES = (OVERZICHT, UREN_PER_PARTNER, BEGROTINGSEVALUATIE)

# access_mode() results
LOGIN, OPEN_DEMO, OPEN_ALLOWED, REFUSE = "login", "open_demo", "open_allowed", "refuse"

# Tabs whose rows belong to one partner (tab -> Dataset attribute).
PARTNER_TABS = {"Uren": "hours", "Begroting": "budget", "Uitgaven": "expenses", "Gebruikers": "users"}
HEADER_ROW = 1

ROLE_LABELS = {STUURGROEP: "Stuurgroep", BAZIEL: "BAZIEL-team", PARTNER: "Partner"}


@dataclass(frozen=True)
class Role:
    """Who is looking. ``role`` is None for an e-mail that is not in the Gebruikers tab.

    ``open_access`` is the app without login (the demo, or ``allow_open_access = true``):
    nobody is identified and everything is shown, as before there was a login.
    """

    email: str | None
    role: str | None = None            # 'stuurgroep' | 'baziel' | 'partner' | None
    partner: str | None = None         # partner code as the Partners tab spells it
    open_access: bool = False

    @property
    def sees_all(self) -> bool:
        """Every page and every partner."""
        return self.open_access or self.role in FULL_ROLES

    @property
    def known(self) -> bool:
        """May see something at all."""
        return self.open_access or self.role in FULL_ROLES or (
            self.role == PARTNER and bool(self.partner))

    @property
    def locked_partner(self) -> str | None:
        """The one partner a partner user may choose (its own); None when any may be chosen."""
        return None if self.sees_all else self.partner

    @property
    def scope(self) -> tuple:
        """What this role's data depends on: ("all",) or ("partner", code). Part of every cache
        key of the app's views and exports, so no cached figure crosses roles."""
        if self.sees_all:
            return ("all",)
        return ("partner", self.partner)

    @property
    def label(self) -> str:
        """Dutch, for the sidebar: 'Stuurgroep', 'BAZIEL-team', 'Partner ATK'."""
        if self.open_access:
            return "Open toegang"
        if self.role == PARTNER:
            return f"Partner {self.partner}"
        return ROLE_LABELS.get(self.role or "", "Geen toegang")


def open_role() -> Role:
    """The role of everyone when the app runs without login."""
    return Role(email=None, open_access=True)


def _key(value: object) -> str | None:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return None
    text = normalize_code(value)
    return text or None


def email_verified(claim: object, trust_unverified: bool = False) -> bool:
    """Whether the login provider vouches for the e-mail address (the ``email_verified`` claim).

    Only the boolean ``true`` (or the text ``"true"``, any case, as some providers send it)
    counts. Missing, ``None``, ``false``, ``"FALSE"``, ``"0"``, ``"no"``, ``1``: not verified.
    Google always sends a boolean; Microsoft Entra ID sends no verified e-mail at all, and
    trusting an unverified address lets anyone who registers that address in their own tenant
    take over the account ("nOAuth"). ``trust_unverified`` (``[auth] trust_unverified_email =
    true``, docs/login.md) accepts every address, for a provider the administrator trusts.
    """
    if trust_unverified:
        return True
    if isinstance(claim, bool):
        return claim
    return isinstance(claim, str) and claim.strip().lower() == "true"


def resolve_role(ds: Dataset, email: str | None, verified: bool = True) -> Role:
    """The role of ``email`` in the Gebruikers tab (case and surrounding spaces ignored).

    An unknown or empty e-mail gets ``role=None``, and so does an address the login provider
    says is not verified (``verified=False``): anyone could type it. The tab's validation already dropped rows
    with an unknown role, a partner user without a (known) partner and repeated e-mails (the
    first row counts), so a match is unambiguous.
    """
    key = _key(email)
    shown = email.strip() if isinstance(email, str) else email
    if key is None or not verified or ds.users.empty:
        return Role(email=shown)
    users = ds.users
    match = users[users["email"].map(_key) == key]
    if match.empty:
        return Role(email=shown)
    row = match.iloc[0]
    role = _key(row["role"])
    partner = row["partner"] if _key(row["partner"]) else None
    if role == PARTNER and partner is None:  # cannot pass validation; never a partner of nobody
        return Role(email=shown)
    if role not in (STUURGROEP, BAZIEL, PARTNER):
        return Role(email=shown)
    return Role(email=shown, role=role, partner=partner)


def allowed_pages(role: Role | None) -> list[str]:
    """Page keys the role may open, in menu order; [] when it may see nothing."""
    if role is None or not role.known:
        return []
    if role.sees_all:
        return list(PAGES)
    return list(PARTNER_PAGES)


def may_refresh(role: Role | None) -> bool:
    """Vernieuwen (read the source again for everyone) is for the BAZIEL team and the stuurgroep,
    and for everyone when the app runs without login (no roles): every refresh costs the read
    quota all viewers share, so partners wait for the regular refresh (cache_ttl)."""
    return role is not None and (role.open_access or role.role in FULL_ROLES)


def may_write_draft(role: Role | None) -> bool:
    """Writing the draft budget into the Begroting tab: a logged-in stuurgroep or BAZIEL member
    only (never an anonymous viewer of an open app, never a partner)."""
    return role is not None and not role.open_access and role.role in FULL_ROLES


def access_mode(settings_has_auth: bool, source_kind: str, allow_open_access: bool) -> str:
    """How the app is guarded (``source_kind`` from config.source_kind).

    * ``login``: ``[auth]`` is configured; everyone logs in and gets a role.
    * ``open_demo``: no ``[auth]`` and the bundled demo workbook: open, and the sidebar says so.
    * ``open_allowed``: no ``[auth]`` and real data, deliberately opened (``allow_open_access =
      true``), or a workbook file the person starting the server named (BAZ_WORKBOOK).
    * ``refuse``: no ``[auth]`` and a configured spreadsheet without ``allow_open_access``:
      the app shows no data and explains why.
    """
    if settings_has_auth:
        return LOGIN
    if source_kind == DEMO:
        return OPEN_DEMO
    if allow_open_access or source_kind == WORKBOOK:
        return OPEN_ALLOWED
    return REFUSE


def access_contacts(ds: Dataset) -> list[str]:
    """Whom to ask for access: the e-mails of the BAZIEL team, else of the stuurgroep.

    Only addresses, never other data: this is what an unknown visitor may see.
    """
    users = ds.users
    for role in (BAZIEL, STUURGROEP):
        found = users[users["role"].map(_key) == role]["email"].dropna().astype(str).tolist()
        if found:
            return list(dict.fromkeys(found))
    return []


# -- the server-side filter ---------------------------------------------------------------------
def _matching(values: pd.Series, partner: str | None) -> pd.Series:
    """values == partner, compared as codes (case and spaces ignored); per distinct value."""
    key = _key(partner)
    same = [v for v in values.dropna().unique() if _key(v) == key] if key else []
    return values.isin(same)


def _own(frame: pd.DataFrame, partner: str) -> pd.Series:
    return _matching(frame["partner"], partner)


def _blank_where(frame: pd.DataFrame, column: str, mask: pd.Series) -> pd.DataFrame:
    if column not in frame or not mask.any():
        return frame
    out = frame.copy()
    out[column] = out[column].astype(object).where(~mask, None)
    return out


def _other_lead(frame: pd.DataFrame, partner: str) -> pd.Series:
    """Rows led (Trekker) by another partner, or by nobody."""
    return ~_matching(frame["lead"], partner)


def _own_problems(ds: Dataset, partner: str, own_rows: dict[str, set[int]]) -> pd.DataFrame:
    """Problems a partner may see: everything outside the partner tabs; in them, the header
    row, whole-tab problems and the partner's own rows."""
    p = ds.problems
    if p.empty:
        return p.copy()
    in_partner_tab = p["tab"].isin(list(PARTNER_TABS))
    rows = p["row"]
    structural = rows.isna() | rows.eq(HEADER_ROW).fillna(False).astype(bool)
    own_row = pd.Series([
        tab in own_rows and not pd.isna(row) and int(row) in own_rows[tab]
        for tab, row in zip(p["tab"], rows)], index=p.index, dtype=bool)
    # An error row is not in the model; when the problem is about its Partner cell, the typed
    # value says whose row it is (an unknown partner code is nobody's: left out).
    own_partner_cell = p["column"].eq("Partner").fillna(False).astype(bool) & \
        _matching(p["value"], partner)
    keep = ~in_partner_tab | structural | own_row | own_partner_cell
    return p[keep].reset_index(drop=True)


def visible_dataset(ds: Dataset, role: Role | None) -> Dataset | None:
    """The data ``role`` may see: all of it, its own partner's share, or None (no access).

    Stuurgroep, BAZIEL team and open access get ``ds`` itself (no copy). A partner gets a new
    Dataset in which no other partner's hours, people or amounts remain (module docstring).
    """
    if role is None or not role.known:
        return None
    if role.sees_all:
        return ds
    partner = role.partner
    tables = {attr: ds.table(tab)[_own(ds.table(tab), partner)].reset_index(drop=True)
              for tab, attr in PARTNER_TABS.items()}
    partners = ds.partners[_matching(ds.partners["code"], partner)].reset_index(drop=True)
    actions = _blank_where(ds.actions, "owner", _other_lead(ds.actions, partner))
    subprojects = _blank_where(ds.subprojects, "manager", _other_lead(ds.subprojects, partner))

    own_rows = {tab: set(int(r) for r in tables[attr]["row"]) for tab, attr in PARTNER_TABS.items()}
    problems = _own_problems(ds, partner, own_rows)

    excluded, row_counts = dict(ds.excluded), dict(ds.row_counts)
    problem_rows: dict[str, set[int]] = {}
    for tab in PARTNER_TABS:
        on_row = problems["row"].notna() & problems["row"].ne(HEADER_ROW).fillna(False)
        mine = problems[(problems["tab"] == tab) & on_row.astype(bool)]
        problem_rows[tab] = set(int(r) for r in mine["row"])
        errors = set(int(r) for r in mine[mine["severity"] == ERROR]["row"])
        if tab in excluded:
            excluded[tab] = len(errors - own_rows[tab])
        if tab in row_counts:
            row_counts[tab] = len(own_rows[tab] | errors)

    row_counts["Partners"] = len(partners)

    dates = ds.row_dates
    if len(dates):
        keep = pd.Series(True, index=dates.index)
        tabs = dates["tab"].astype("category")  # fast comparisons on 100,000 rows
        for tab in PARTNER_TABS:
            allowed = own_rows[tab] | problem_rows[tab]
            keep &= ~((tabs == tab) & ~dates["row"].isin(list(allowed)))
        dates = dates[keep].reset_index(drop=True)

    closes = ds.closes
    if closes is not None:
        closes = closes.for_partner(partner, visible=lambda then: visible_dataset(then, role))

    return dataclasses.replace(
        ds, partners=partners, subprojects=subprojects, actions=actions, problems=problems,
        excluded=excluded, row_counts=row_counts, row_dates=dates, extra={}, closes=closes,
        **tables)
