"""One demo year of rows per tab, drawn from the plan content with the year's own random source.

Contract: :func:`_build_year` turns a :class:`_Year` (year, `until`, a seeded ``random.Random``)
into tab -> list of rows (dicts keyed by column name) for the yearly tabs; :func:`_partners` and
:func:`_users` give the Partners and Gebruikers rows; :func:`_staff` says who works on BAZ in a
year. The order of the random draws is part of the contract: it fixes the demo's bytes. These
underscore names are shared only with the other demo modules (demo_mistakes, demo).

Imports flow one way: demo_plan <- demo_rows <- demo_mistakes <- demo. Error policy: the input
is the code's own constants, so nothing is checked; a wrong constant fails loudly in the tests.
"""
from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from .demo_plan import (
    ACTION_TITLES, BASE_RATE, COMMUNICATION, COST_POSTS, EFFECT_MEASUREMENT, EXPENSE_TEXTS,
    FILLS_IN_AMOUNT, GOALS, HOLIDAYS, HOUR_WEIGHTS, HOURS, INDICATORS, LESSONS, MAX_HOURS_PER_DAY,
    MEASUREMENT_NOTES, OVER_BUDGET, PARTNERS, RATE_BASE_YEAR, RATE_INDEXATION, ROWS_PER_DAY,
    ROWS_PER_DAY_WEIGHTS, STAFF, STEERING, SUBPROJECTS, TASKS, UNDER_BUDGET_PARTNER,
)
from .schema import STAFF_POST, STATUSES

PLANNED, RUNNING, DONE, POSTPONED, CANCELLED = STATUSES

Row = dict[str, object]

DAY = dt.timedelta(days=1)

# --- One year of rows -----------------------------------------------------------------------

@dataclass
class _Year:
    year: int
    until: dt.date
    rng: random.Random

    @property
    def first(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def last(self) -> dt.date:
        """The last day with data: 31 December, or `until` in the current year."""
        return min(dt.date(self.year, 12, 31), self.until)

    def random_day(self) -> dt.date:
        return self.first + self.rng.randint(0, (self.last - self.first).days) * DAY


def _staff(partner: str, year: int) -> list[str]:
    """Four of the partner's five people; each partner swaps one person every four years."""
    pool = STAFF[partner]
    gone = (year + list(PARTNERS).index(partner)) // 4 % len(pool)
    return [name for i, name in enumerate(pool) if i != gone]


def _email(name: str, partner: str) -> str:
    first, last = name.split(" ", 1)
    return f"{first}.{last.replace(' ', '')}@{partner}.example.org".lower()


def _subprojects(year: int) -> list[Row]:
    return [{"Jaar": year, "Code": code, "Naam": sp.name, "Trekker": sp.lead,
             "Projectverantwoordelijke": _staff(sp.lead, year)[0]}
            for code, sp in SUBPROJECTS.items()]


def _goals(year: int) -> list[Row]:
    return [{"Jaar": year, "Code": code, "Deelproject": dp, "Omschrijving": text}
            for code, (dp, text) in GOALS.items()]


def _actions(y: _Year) -> list[Row]:
    rows = []
    for goal, titles in ACTION_TITLES.items():
        for title in y.rng.sample(titles, y.rng.randint(3, 5)):
            rows.append(_action(y, f"A{y.year}-{len(rows) + 1:02d}", goal, title))
    return rows


def _action(y: _Year, action_id: str, goal: str, title: str) -> Row:
    rng = y.rng
    subproject = SUBPROJECTS[GOALS[goal][0]]
    start = dt.date(y.year, 1, 11) + rng.randint(0, 250) * DAY
    deadline = min(start + rng.randint(45, 240) * DAY, dt.date(y.year, 12, 1) + rng.randint(0, 30) * DAY)
    status, progress = _status(rng, start, deadline, y.until)
    lead = rng.choice(subproject.partners + (subproject.lead,))  # the subproject's lead twice as often
    return {
        "ID": action_id, "Doelstelling": goal, "Actie": title, "Trekker": lead,
        "Verantwoordelijke": rng.choice(_staff(lead, y.year)), "Start": start, "Deadline": deadline,
        "Status": status, "Voortgang": progress,
        "Communicatie": rng.choice(COMMUNICATION) if progress and rng.random() < 0.85 else None,
        "Effectmeting": rng.choice(EFFECT_MEASUREMENT) if progress >= 50 and rng.random() < 0.8 else None,
        "Lessons learned": rng.choice(LESSONS) if progress >= 80 and rng.random() < 0.7 else None,
        "Laatst bijgewerkt": _last_update(rng, status, start, deadline, y.until),
    }


def _status(rng: random.Random, start: dt.date, deadline: dt.date, until: dt.date) -> tuple[str, int]:
    """Status and progress as they would stand on `until`."""
    if start > until:
        return PLANNED, 0
    if deadline < until:
        if (until - deadline).days < 75 and rng.random() < 0.35:
            return RUNNING, rng.randrange(50, 95, 5)  # overdue
        roll = rng.random()
        if roll < 0.05:
            return CANCELLED, rng.randrange(0, 50, 5)
        if roll < 0.12:
            return POSTPONED, rng.randrange(10, 60, 5)
        return DONE, 100
    elapsed = (until - start) / (deadline - start)
    progress = min(95, max(5, 5 * round(elapsed * 20) + rng.choice((-10, -5, 0, 5, 10))))
    return (POSTPONED if rng.random() < 0.05 else RUNNING), progress


def _last_update(rng: random.Random, status: str, start: dt.date, deadline: dt.date,
                 until: dt.date) -> dt.date:
    if status == PLANNED:
        return min(until, start - rng.randint(5, 40) * DAY)
    if status == DONE:
        return max(start, deadline - rng.randint(0, 10) * DAY)
    days_ago = rng.choice((0, 1, 2, 3, 4, 6, 8, 12, 15, 21, 30, 45))  # half within the last week
    return max(start, min(until, deadline + 20 * DAY) - days_ago * DAY)


def _working_days(y: _Year) -> Iterable[dt.date]:
    day = y.first
    while day <= y.last:
        if day.weekday() < 5 and (day.month, day.day) not in HOLIDAYS:
            yield day
        day += DAY


def _absence_rate(day: dt.date) -> float:
    if day.month in (7, 8):
        return 0.5
    if day.month == 12 and day.day >= 22:
        return 0.6
    return 0.08


def _focus(partner: str, index: int) -> list[str]:
    """Subprojects a person books hours on, the main one three times as often as the others."""
    worked = [code for code, sp in SUBPROJECTS.items() if partner in sp.partners]
    return [worked[index % len(worked)]] * 2 + worked


def _active_actions(actions: list[Row], day: dt.date) -> dict[str, list[str]]:
    active = defaultdict(list)
    for action in actions:
        if action["Start"] <= day <= action["Deadline"]:
            active[GOALS[action["Doelstelling"]][0]].append(action["ID"])
    return active


def _hours(y: _Year, actions: list[Row]) -> list[Row]:
    rng = y.rng
    people = [(partner, name, _focus(partner, i))
              for partner in PARTNERS for i, name in enumerate(_staff(partner, y.year))]
    rows = []
    for day in _working_days(y):
        active, absence = _active_actions(actions, day), _absence_rate(day)
        for partner, name, subprojects in people:
            if rng.random() < absence:
                continue
            left = MAX_HOURS_PER_DAY
            for _ in range(rng.choices(ROWS_PER_DAY, ROWS_PER_DAY_WEIGHTS)[0]):
                hours = min(rng.choices(HOURS, HOUR_WEIGHTS)[0], left)
                if hours < 0.5:
                    break
                left -= hours
                dp = rng.choice(subprojects)
                rows.append({
                    "Datum": day, "Partner": partner, "Medewerker": name, "Deelproject": dp,
                    "Actie": rng.choice(active[dp]) if active[dp] and rng.random() < 0.75 else None,
                    "Uren": hours, "Omschrijving": rng.choice(TASKS[dp]) if rng.random() < 0.9 else None,
                })
    return rows


def _budget(y: _Year, hours: list[Row]) -> list[Row]:
    """Personeel lines sized so the hours booked end near, above or well under them."""
    booked = defaultdict(float)
    for row in hours:
        booked[row["Deelproject"], row["Partner"]] += row["Uren"]
    rows = []
    for dp, subproject in SUBPROJECTS.items():
        for partner in subproject.partners:
            planned = booked[dp, partner] / _use_ratio(y.rng, dp, partner) or 400
            budget_hours = max(10, round(planned / 10) * 10)
            rate = round(BASE_RATE[partner] * RATE_INDEXATION ** (y.year - RATE_BASE_YEAR), 2)
            amount = round(budget_hours * rate, 2) if partner in FILLS_IN_AMOUNT else None
            rows.append({"Jaar": y.year, "Deelproject": dp, "Partner": partner, "Post": STAFF_POST,
                         "Uren": budget_hours, "Uurtarief": rate, "Bedrag": amount})
        for post, (low, high) in COST_POSTS.items():
            rows.append({"Jaar": y.year, "Deelproject": dp, "Post": post,
                         "Bedrag": float(y.rng.randint(low, high) * 100)})
    return rows


def _use_ratio(rng: random.Random, dp: str, partner: str) -> float:
    """Hours booked divided by hours budgeted, as it should come out."""
    if (dp, partner) in OVER_BUDGET:
        return rng.uniform(1.05, 1.2)
    if partner == UNDER_BUDGET_PARTNER:
        return rng.uniform(0.4, 0.55)
    return rng.uniform(0.72, 0.98)


def _expenses(y: _Year, budget: list[Row]) -> list[Row]:
    rng, rows = y.rng, []
    for line in budget:
        if line["Post"] == STAFF_POST:
            continue
        partners = SUBPROJECTS[line["Deelproject"]].partners
        for _ in range(rng.randint(2, 5)):
            rows.append({
                "Datum": y.random_day(), "Deelproject": line["Deelproject"],
                "Partner": rng.choice(partners) if rng.random() < 0.5 else None, "Post": line["Post"],
                "Bedrag": round(rng.uniform(40, line["Bedrag"] * 0.35), 2),
                "Omschrijving": rng.choice(EXPENSE_TEXTS[line["Post"]]),
            })
    return sorted(rows, key=lambda r: r["Datum"])


def _indicators(y: _Year) -> list[Row]:
    rows = []
    for goal, specs in INDICATORS.items():
        for spec in specs[: y.rng.randint(1, len(specs))]:
            target = spec.target if spec.percent else max(1, round(spec.target * 1.05 ** (y.year - 2021)))
            rows.append({"Jaar": y.year, "ID": f"I{y.year}-{len(rows) + 1:02d}", "Doelstelling": goal,
                         "Indicator": spec.text, "Streefwaarde": target, "Aggregatie": spec.aggregation})
    return rows


def _measurements(y: _Year, indicators: list[Row]) -> list[Row]:
    rng, rows = y.rng, []
    elapsed = ((y.last - y.first).days + 1) / 365
    percent = {spec.text for specs in INDICATORS.values() for spec in specs if spec.percent}
    for indicator in indicators:
        values = _values(rng, indicator, elapsed, indicator["Indicator"] in percent)
        days = sorted(y.random_day() for _ in values)
        rows += [{"Datum": day, "Indicator": indicator["ID"], "Waarde": value,
                  "Opmerking": rng.choice(MEASUREMENT_NOTES) if rng.random() < 0.15 else None}
                 for day, value in zip(days, values)]
    return sorted(rows, key=lambda r: r["Datum"])


def _values(rng: random.Random, indicator: Row, elapsed: float, percent: bool) -> list:
    """Three to eight measured values (fewer where the target is small)."""
    target, count = indicator["Streefwaarde"], rng.randint(3, 8)
    if percent:
        return [round(rng.uniform(target - 12, min(100, target + 12)), 1) for _ in range(count)]
    reached = target * elapsed * rng.uniform(0.6, 1.15)
    count = max(1, min(count, round(reached)))
    if indicator["Aggregatie"] == "laatste":  # a level that grows over the year
        return sorted(round(reached * rng.uniform(0.3, 1.0)) for _ in range(count - 1)) + [round(reached)]
    shares = [rng.random() + 0.2 for _ in range(count)]
    return [round(reached * share / sum(shares)) for share in shares]


def _build_year(y: _Year) -> dict[str, list[Row]]:
    actions = _actions(y)
    hours = _hours(y, actions)
    budget = _budget(y, hours)
    indicators = _indicators(y)
    return {"Deelprojecten": _subprojects(y.year), "Doelstellingen": _goals(y.year), "Acties": actions,
            "Uren": hours, "Begroting": budget, "Uitgaven": _expenses(y, budget),
            "Indicatoren": indicators, "Metingen": _measurements(y, indicators)}


def _partners() -> list[Row]:
    return [{"Code": code, "Naam": name, "Contact": f"info@{code.lower()}.example.org"}
            for code, name in PARTNERS.items()]


def _users(year: int) -> list[Row]:
    def user(name_or_box: str, role: str, partner: str) -> Row:
        email = name_or_box if "@" in name_or_box else _email(name_or_box, partner)
        return {"E-mail": email, "Rol": role, "Partner": partner}

    return ([user(name, "stuurgroep", p) for p, names in STEERING.items() for name in names]
            + [user(_staff(p, year)[0], "baziel", p) for p in PARTNERS]
            + [user(f"baz@{p.lower()}.example.org", "partner", p) for p in PARTNERS])

