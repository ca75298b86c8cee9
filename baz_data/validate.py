"""Validation: parse every cell, check every rule, and name every problem.

Like pandera's lazy validation, nothing stops at the first failure: each table is checked
completely and every failure becomes a :class:`Problem` (tab, row, column, value, Dutch message).
A row with an error gets ``error=True`` and is kept out of every total by the model; a warning
leaves the row in. Tables are checked in dependency order so references are checked against the
rows that survived (Partners before Deelprojecten before Doelstellingen before Acties …).
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import pandas as pd

from . import parsing
from .formatting import fmt_money, fmt_number
from .money import HOUR_UNITS, cents_of, hour_units
from .load import ROW, RawTable
from .parsing import map_distinct, normalize_code, show
from .problems import ERROR, WARNING, Problem
from .schema import (AGGREGATIONS, CODE, DATE, HOURS, INT, MONEY, NUMBER, PERCENT, RATE, ROLES,
                     STAFF_POST, STATUSES, TABLES)

ERROR_COL = "error"
MAX_HOURS_PER_DAY = 24
# Sane bounds (README, "Grenzen"): beyond them a value is a typo, not a plan.
MIN_PLAN_YEAR, MAX_PLAN_YEAR = parsing.MIN_YEAR, parsing.MAX_YEAR
MAX_BUDGET_HOURS = 100_000           # hours on one Personeel line (≈ 60 full-time staff)
MAX_RATE = Decimal(1000)             # euros per hour
MAX_AMOUNT_CENTS = 10_000_000 * 100  # € 10 million on one budget or expense line

# An address as providers hand them out: no spaces, brackets or markup (it is shown to anyone
# who may not log in, see app_access.no_access_screen).
_EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[^\W_](?:[\w-]*[^\W_])?(?:\.[^\W_](?:[\w-]*[^\W_])?)+")

_PARSERS = {
    DATE: parsing.parse_date,
    NUMBER: parsing.parse_number,
    HOURS: parsing.parse_hours,
    MONEY: parsing.parse_money_cents,
    RATE: parsing.parse_number,
    PERCENT: parsing.parse_percent,
    INT: parsing.parse_int,
}


# kind -> (is the parsed value sane?, the Dutch message when not); column-specific bounds
# (hours per row, budget hours) are in the table's own check.
_BOUNDS = {
    INT: (lambda y: MIN_PLAN_YEAR <= y <= MAX_PLAN_YEAR,
          f"Een jaar moet tussen {MIN_PLAN_YEAR} en {MAX_PLAN_YEAR} liggen."),
    MONEY: (lambda c: abs(c) <= MAX_AMOUNT_CENTS,
            f"Een bedrag kan hoogstens {fmt_money(MAX_AMOUNT_CENTS)} zijn; tikfout?"),
    RATE: (lambda r: 0 < r <= MAX_RATE,
           f"Een uurtarief moet groter dan € 0 en hoogstens {fmt_money(int(MAX_RATE) * 100)} "
           "zijn."),
}


@dataclass
class Registry:
    """Known codes of one kind: normalized key -> the spelling of the reference tab.

    A code is known when a row defines it, even if that row has an error elsewhere (a typo in
    an action's status must not throw out the hours booked on that action).
    """

    label: str                       # Dutch noun for messages: "partner", "deelproject"
    valid: dict[object, str]
    # key -> (tab, row) of a definition that has an error itself: referring rows are told so
    broken: dict[object, tuple[str, int]] = field(default_factory=dict)
    neuter: bool = False             # a het-word: "onbekend deelproject", "het deelproject"

    @property
    def unknown(self) -> str:
        """'Onbekende partner', 'Onbekend deelproject'."""
        return f"{'Onbekend' if self.neuter else 'Onbekende'} {self.label}"

    @property
    def the(self) -> str:
        """'De partner', 'Het deelproject'."""
        return f"{'Het' if self.neuter else 'De'} {self.label}"

    def suggestion(self, typed: str) -> str:
        names = {normalize_code(v): v for v in self.valid.values()}
        close = difflib.get_close_matches(normalize_code(typed), list(names), n=1, cutoff=0.6)
        return f" Bedoelde je '{names[close[0]]}'?" if close else ""


class TableCheck:
    """One table under validation: raw cells in, parsed values and problems out."""

    def __init__(self, raw: RawTable, problems: list[Problem]):
        self.raw = raw
        self.tab = raw.tab
        self.problems = problems
        self._distinct: dict[str, tuple] = {}   # field -> (codes, values) of its raw cells
        self.df = pd.DataFrame({ROW: raw.frame[ROW]})
        self.df[ERROR_COL] = not raw.usable
        for column in raw.table.columns:
            self._parse(column.field, column.kind, column.required and raw.usable)

    # -- recording problems -------------------------------------------------------------
    def flag(self, mask: pd.Series, field: str | None, message, severity: str = ERROR) -> None:
        """Record a problem on every row in ``mask``.

        ``message`` is a str, a Series of messages, or a function of the row index — called
        only for flagged rows, so a rule costs nothing on the thousands of good rows.
        """
        mask = mask.fillna(False).astype(bool)
        if not mask.any():
            return
        name = self.raw.table.columns[self._index(field)].name if field else None
        letter = self.raw.letters.get(field) if field else None
        raw_values = self.raw.frame[field] if field else pd.Series("", index=self.df.index)
        for idx in mask[mask].index:
            text = (message if isinstance(message, str)
                    else message(idx) if callable(message) else message.at[idx])
            row = int(self.df.at[idx, ROW])
            self.problems.append(Problem(self.tab, row, name, show(raw_values.at[idx]), text,
                                         severity, f"{letter}{row}" if letter else None))
        if severity == ERROR:
            self.df.loc[mask, ERROR_COL] = True

    def _index(self, field: str) -> int:
        return next(i for i, c in enumerate(self.raw.table.columns) if c.field == field)

    # -- parsing ------------------------------------------------------------------------
    def _parse(self, field: str, kind: str, required: bool) -> None:
        raw = self.raw.frame[field]
        if kind in _PARSERS:
            values, errors = parsing.parse_series(raw, _PARSERS[kind], self.distinct(field))
            self.flag(errors.notna(), field, errors)
            if kind in _BOUNDS:
                inside, message = _BOUNDS[kind]
                values = self.bound(values, field, inside, message)
        elif kind == CODE:
            values = map_distinct(raw, lambda v: None if v is None else normalize_code(v),
                                  self.distinct(field))
        else:  # TEXT: kept as typed, trimmed
            values = self.display(field)
        if required:
            column = self.raw.table.columns[self._index(field)].name
            self.flag(self.blank(field), field, f"'{column}' is leeg maar verplicht.")
        self.df[field] = values

    def bound(self, values: pd.Series, field: str, inside, message: str) -> pd.Series:
        """Flag parsed values for which ``inside(value)`` is false; they become None."""
        outside = map_distinct(values, lambda v: v is not None and not inside(v)).astype(bool)
        self.flag(outside, field, message)
        return values.where(~outside, None)

    def distinct(self, field: str) -> tuple:
        """(codes, distinct values) of a raw column, computed once: a 100,000-row column is
        hashed once, however many rules read it."""
        if field not in self._distinct:
            self._distinct[field] = (self.raw.distinct.get(field)
                                     or parsing.distinct(self.raw.frame[field]))
        return self._distinct[field]

    def display(self, field: str) -> pd.Series:
        """A column as typed (trimmed): free text, and the spelling of codes a tab defines."""
        return map_distinct(self.raw.frame[field], lambda v: None if v is None else show(v).strip(),
                            self.distinct(field))

    def blank(self, field: str) -> pd.Series:
        return map_distinct(self.raw.frame[field], lambda v: v is None,
                            self.distinct(field)).astype(bool)

    # -- rules --------------------------------------------------------------------------
    def ok(self) -> pd.Series:
        return ~self.df[ERROR_COL]

    def check_ref(self, field: str, registry: Registry, keys: pd.Series | None = None,
                  where: pd.Series | None = None) -> pd.Series:
        """Check a reference; returns the canonical spelling (None when unknown or blank).

        ``keys`` replaces the plain code for year-scoped references ((year, code)); a row whose
        key is None (its year could not be read, already flagged) is not checked again.
        """
        values = self.df[field]
        keys = values if keys is None else keys
        canonical = map_distinct(keys, lambda k: registry.valid.get(k) if k is not None else None)
        unknown = values.notna() & keys.notna() & canonical.isna()
        raw = self.raw.frame[field]
        messages = {}
        for idx in unknown[unknown].index:
            typed = show(raw.at[idx]).strip()
            place = where.at[idx] if where is not None else ""
            if (broken := registry.broken.get(keys.at[idx])) is not None:
                messages[idx] = (f"{registry.the} '{typed}'{place} staat op {broken[0]} rij "
                                 f"{broken[1]}, maar die rij heeft zelf een fout; deze rij telt "
                                 "pas mee als die is opgelost.")
                continue
            messages[idx] = (f"{registry.unknown} '{typed}'{place}."
                             f"{registry.suggestion(typed)}")
        self.flag(unknown, field, pd.Series(messages, dtype=object))
        return canonical.astype(object)

    def check_duplicates(self, fields: list[str], what: str) -> None:
        """Error on every later row that repeats the key of an earlier row."""
        keyed = self.df[fields].notna().all(axis=1)
        dup = keyed & self.df.duplicated(fields, keep="first")
        if dup.any():
            first = self.df[keyed].drop_duplicates(fields).set_index(fields)[ROW]

            def message(idx) -> str:
                key = tuple(self.df.loc[idx, fields]) if len(fields) > 1 else self.df.at[idx, fields[0]]
                return f"Dubbele {what}: staat al op rij {first.get(key)}; deze rij telt niet mee."

            self.flag(dup, fields[-1], message)

    def check_choice(self, field: str, choices: tuple[str, ...], label: str) -> pd.Series:
        lookup = {normalize_code(c): c for c in choices}
        canonical = map_distinct(self.df[field], lambda k: lookup.get(k) if k is not None else None)
        bad = self.df[field].notna() & canonical.isna()
        options = ", ".join(choices)
        self.flag(bad, field, f"Onbekende {label}; kies uit {options}.")
        return canonical.astype(object)

    def registry(self, key_fields: list[str], label: str, display_field: str,
                 valid_rows_only: bool = False, neuter: bool = False) -> Registry:
        """The codes this table defines, for checking references to it.

        With ``valid_rows_only`` a code whose defining row has an error is not valid but
        *broken*: a row referring to it gets an error that points at that row. Used for tabs
        whose error rows leave the model (goals, indicators), so that a code counts everywhere
        or nowhere.
        """
        keys = (_keys(*(self.df[f] for f in key_fields)) if len(key_fields) > 1
                else self.df[key_fields[0]])
        shown = self.display(display_field)
        filled = self.df[key_fields].notna().all(axis=1)
        valid: dict[object, str] = {}
        broken: dict[object, tuple[str, int]] = {}
        for key, name, ok, row in zip(keys[filled], shown[filled], self.ok()[filled],
                                      self.df.loc[filled, ROW]):
            if valid_rows_only and not ok:
                broken.setdefault(key, (self.tab, int(row)))
                continue
            valid.setdefault(key, name)  # the first row that defines a code names it
        return Registry(label, valid, {k: v for k, v in broken.items() if k not in valid}, neuter)


def _missing(value: object) -> bool:
    """None, NaN, NaT or NA: pandas turns None into any of these depending on the column."""
    return value is None or value is pd.NA or value is pd.NaT or (
        isinstance(value, float) and value != value)


def _year_of(dates: pd.Series) -> pd.Series:
    return map_distinct(dates, lambda d: None if d is None else d.year)


def _keys(*columns: pd.Series) -> pd.Series:
    """Row-wise tuple keys of several aligned columns (None when any part is missing).

    Built once per distinct combination and spread by code: a year and a code column of
    100,000 hour rows have only a few hundred combinations."""
    combined = np.zeros(len(columns[0]), dtype=np.int64)
    missing = np.zeros(len(columns[0]), dtype=bool)
    parts = []
    for column in columns:
        codes, uniques = pd.factorize(column.astype(object), use_na_sentinel=True)
        missing |= codes < 0
        combined = combined * (len(uniques) + 1) + (codes + 1)
        parts.append((codes, uniques))
    distinct, first, inverse = np.unique(combined, return_index=True, return_inverse=True)
    built = np.empty(len(distinct), dtype=object)
    built[:] = [tuple(uniques[codes[i]] if codes[i] >= 0 else None for codes, uniques in parts)
                for i in first]
    keys = built[inverse.reshape(-1)] if len(combined) else np.empty(0, dtype=object)
    keys[missing] = None
    return pd.Series(keys, index=columns[0].index, dtype=object)


@dataclass
class Validated:
    tables: dict[str, pd.DataFrame]   # tab -> parsed frame (English fields, ROW, ERROR_COL)
    problems: list[Problem]


def validate(raw_tables: dict[str, RawTable], problems: list[Problem] | None = None) -> Validated:
    problems = list(problems or [])
    check = {tab: None for tab in TABLES}

    def start(tab: str) -> TableCheck:
        check[tab] = TableCheck(raw_tables[tab], problems)
        return check[tab]

    partners = start("Partners")
    partners.check_duplicates(["code"], "partnercode")
    partner_reg = partners.registry(["code"], "partner", "code")
    partners.df["code"] = partners.display("code").where(partners.df["code"].notna())

    subprojects = start("Deelprojecten")
    subprojects.check_duplicates(["year", "code"], "deelprojectcode in dit jaar")
    subprojects.df["lead"] = subprojects.check_ref("lead", partner_reg)
    sub_reg = subprojects.registry(["year", "code"], "deelproject", "code", neuter=True)
    subprojects.df["code"] = subprojects.display("code").where(subprojects.df["code"].notna())

    goals = start("Doelstellingen")
    goals.check_duplicates(["year", "code"], "doelstellingscode in dit jaar")
    goals.df["subproject"] = _checked_year_ref(goals, "subproject", goals.df["year"], sub_reg)
    goal_reg = goals.registry(["year", "code"], "doelstelling", "code", valid_rows_only=True)
    goals.df["code"] = goals.display("code").where(goals.df["code"].notna())
    goal_subproject = {(y, normalize_code(c)): s for y, c, s, ok in zip(
        goals.df["year"], goals.df["code"], goals.df["subproject"], goals.ok()) if ok}

    actions = _check_actions(start("Acties"), partner_reg, goal_reg, goal_subproject)
    action_reg = actions.registry(["id"], "actie", "id")
    action_subproject = dict(zip(actions.df["id"], actions.df["subproject"]))
    actions.df["id"] = actions.display("id").where(actions.df["id"].notna())

    indicators = start("Indicatoren")
    indicators.check_duplicates(["id"], "indicator-ID")
    indicators.df["goal"] = _checked_year_ref(indicators, "goal", indicators.df["year"], goal_reg)
    indicators.df["aggregation"] = indicators.check_choice("aggregation", AGGREGATIONS,
                                                           "aggregatie")
    indicator_reg = indicators.registry(["id"], "indicator", "id", valid_rows_only=True)
    indicators.df["id"] = indicators.display("id").where(indicators.df["id"].notna())

    budget = _check_budget(start("Begroting"), partner_reg, sub_reg)
    _check_hours(start("Uren"), partner_reg, sub_reg, action_reg, action_subproject, budget)

    expenses = start("Uitgaven")
    expenses.df["subproject"] = _checked_year_ref(expenses, "subproject",
                                                  _year_of(expenses.df["date"]), sub_reg)
    expenses.df["partner"] = expenses.check_ref("partner", partner_reg)

    measurements = start("Metingen")
    measurements.df["indicator"] = measurements.check_ref("indicator", indicator_reg)

    users = start("Gebruikers")
    users.df["role"] = users.check_choice("role", ROLES, "rol")
    users.df["partner"] = users.check_ref("partner", partner_reg)
    users.flag((users.df["role"] == "partner") & users.df["partner"].isna()
               & users.blank("partner"), "partner",
               "Een gebruiker met rol 'partner' heeft een partnercode nodig.")
    users.check_duplicates(["email"], "gebruiker")
    typed = users.display("email")
    users.flag(~users.blank("email") & ~typed.map(lambda v: bool(v and _EMAIL.fullmatch(v))),
               "email", lambda idx: f"'{typed.at[idx]}' is geen geldig e-mailadres.")

    return Validated({tab: c.df for tab, c in check.items()}, problems)


def _checked_year_ref(check: TableCheck, field: str, years: pd.Series, registry: Registry):
    """A code that must exist in the same year (a subproject of 2021 is not one of 2022)."""
    where = map_distinct(pd.Series(years, index=check.df.index),
                         lambda y: f" in {y}" if y is not None else "")
    return check.check_ref(field, registry, _keys(years, check.df[field]), where)


def _check_actions(actions: TableCheck, partner_reg, goal_reg, goal_subproject) -> TableCheck:
    df = actions.df
    actions.check_duplicates(["id"], "actie-ID")
    df["lead"] = actions.check_ref("lead", partner_reg)
    df["status"] = actions.check_choice("status", STATUSES, "status")
    progress = df["progress"]
    actions.flag(progress.map(lambda p: not _missing(p) and not 0 <= p <= 100), "progress",
                 "Voortgang moet tussen 0 en 100% liggen.")
    df["progress"] = progress.map(lambda p: float(p) if not _missing(p) else None).astype(object)
    late_start = _keys(df["start"], df["deadline"]).map(
        lambda k: not _missing(k) and k[0] > k[1])
    actions.flag(late_start, "deadline", "De deadline ligt vóór de startdatum.", WARNING)
    # An action belongs to the plan of the year it starts in (else of its deadline); an
    # undated action to the latest year that has its goal.
    year = df["start"].where(df["start"].notna(), df["deadline"]).map(
        lambda d: d.year if not _missing(d) else None)
    latest_year: dict[object, int] = {}
    for y, code in goal_reg.valid:
        latest_year[code] = max(y, latest_year.get(code, y))
    year = pd.Series([y if not _missing(y) else latest_year.get(g)
                      for y, g in zip(year, df["goal"])], index=df.index, dtype=object)
    df["year"] = year
    df["goal"] = _checked_year_ref(actions, "goal", year, goal_reg)
    df["subproject"] = [goal_subproject.get((y, normalize_code(g))) if not _missing(g) else None
                        for y, g in zip(year, df["goal"])]
    return actions


def _check_budget(budget: TableCheck, partner_reg, sub_reg) -> TableCheck:
    df = budget.df
    df["subproject"] = _checked_year_ref(budget, "subproject", df["year"], sub_reg)
    df["partner"] = budget.check_ref("partner", partner_reg)
    staff = df["post"].map(lambda p: not _missing(p) and normalize_code(p) == normalize_code(STAFF_POST))
    df["staff"] = staff
    for name, label in (("partner", "Partner"), ("hours", "Uren"), ("rate", "Uurtarief")):
        budget.flag(staff & df[name].isna() & budget.blank(name), name,
                    f"Een {STAFF_POST}-lijn heeft '{label}' nodig.")
    budget.flag(~staff & df["post"].notna() & df["amount"].isna()
                & budget.blank("amount"), "amount",
                "Een kostenpost heeft een 'Bedrag' nodig.")
    df["hours"] = budget.bound(df["hours"], "hours", lambda h: 0 <= h <= MAX_BUDGET_HOURS,
                               f"Begrote uren moeten tussen 0 en "
                               f"{fmt_number(MAX_BUDGET_HOURS)} liggen.")
    df["amount"] = budget.bound(df["amount"], "amount", lambda c: c >= 0,
                                "Een begroot bedrag kan niet negatief zijn.")
    df["hours_units"] = df["hours"].map(_hour_units).astype(object)
    # Budget H x r, exact in cents and rounded once; a typed amount that disagrees is a warning.
    computed = [None if _missing(h) or _missing(r) else cents_of(h, r)
                for h, r in zip(df["hours_units"], df["rate"])]
    df["computed_amount"] = pd.Series(computed, index=df.index, dtype=object)
    disagree = staff & df["amount"].notna() & df["computed_amount"].notna() & (
        df["amount"] != df["computed_amount"])
    budget.flag(disagree, "amount", lambda i: (
        f"Bedrag wijkt af van Uren × Uurtarief ({fmt_money(df.at[i, 'computed_amount'])}); "
        f"voor de vergoeding telt Uren × Uurtarief."), WARNING)
    staff_keyed = staff & df[["year", "subproject", "partner"]].notna().all(axis=1) & budget.ok()
    dup = staff_keyed & df[staff_keyed].duplicated(["year", "subproject", "partner"]).reindex(
        df.index, fill_value=False)
    budget.flag(dup, "partner", "Dubbele Personeel-lijn voor dit jaar, deelproject en deze "
                                "partner; alleen de eerste telt.")
    return budget


def _check_hours(hours: TableCheck, partner_reg, sub_reg, action_reg, action_subproject,
                 budget: TableCheck) -> None:
    df = hours.df
    year = _year_of(df["date"])
    df["partner"] = hours.check_ref("partner", partner_reg)
    df["subproject"] = _checked_year_ref(hours, "subproject", year, sub_reg)
    df["action"] = hours.check_ref("action", action_reg)
    booked_on = map_distinct(df["action"], lambda a: None if a is None
                             else action_subproject.get(normalize_code(a)))
    elsewhere = booked_on.notna() & df["subproject"].notna() & (booked_on != df["subproject"])
    hours.flag(elsewhere, "action", lambda i: (
        f"Actie '{df.at[i, 'action']}' hoort bij deelproject "
        f"'{action_subproject.get(normalize_code(df.at[i, 'action']))}', niet bij dit deelproject."))
    df["hours"] = hours.bound(df["hours"], "hours", lambda h: 0 < h <= MAX_HOURS_PER_DAY,
                              "Uren moeten groter dan 0 en hoogstens 24 zijn.")
    df["hours"] = hours.bound(df["hours"], "hours", lambda h: hour_units(h) >= 1,
                              f"Minder dan de kleinste eenheid van {fmt_number(Decimal(1) / HOUR_UNITS, 4)} "
                              "uur: deze rij kan niet geteld worden.")
    df["units"] = map_distinct(df["hours"], _hour_units)
    # More than 24 hours by one person on one day: a warning on each of that day's rows.
    person = map_distinct(df["person"], lambda p: normalize_code(p) if p is not None else None)
    counted = hours.ok() & person.notna() & df["date"].notna()
    day_total = df[counted].groupby([person[counted], df.loc[counted, "date"]])["units"].transform(
        "sum")
    too_much = (day_total > MAX_HOURS_PER_DAY * HOUR_UNITS).reindex(df.index, fill_value=False)
    hours.flag(too_much, "hours", lambda i: (
        f"Deze medewerker heeft die dag samen {_fmt_hours(day_total.at[i])} uur geschreven "
        f"(meer dan 24)."), WARNING)
    # Hours with no Personeel budget line cannot be compensated.
    b = budget.df
    lines = set(zip(b.loc[b["staff"] & budget.ok(), "year"], b.loc[b["staff"] & budget.ok(),
                                                                    "subproject"],
                    b.loc[b["staff"] & budget.ok(), "partner"]))
    keys = _keys(year, df["subproject"], df["partner"])
    no_line = hours.ok() & map_distinct(keys, lambda k: k not in lines).astype(bool)
    hours.flag(no_line, "partner",
               "Geen Personeel-lijn in de begroting voor deze partner, dit deelproject en dit "
               "jaar: deze uren kunnen niet vergoed worden.", WARNING)


def _hour_units(hours: Decimal | None) -> int | None:
    return None if _missing(hours) else hour_units(hours)


def _fmt_hours(units: int) -> str:
    return fmt_number(Decimal(int(units)) / HOUR_UNITS)
