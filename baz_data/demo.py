"""A deterministic demo workbook: the BAZ year plan with actions, hours, budget and indicators.

The content follows the 2021 year plan (three subprojects, goals SD1-SD11) and repeats it for
every demo year. Each year draws from its own ``random.Random`` seeded from ``seed`` and the year,
so a year looks the same whatever number of years is generated, and the same arguments always
give the same rows and the same file bytes.

Only the last year holds planted problems: a dozen realistic typos (``DELIBERATE_MISTAKES``) and
some valid noise that the loader must accept (``VALID_NOISE``), so the data-quality page has
something to show. :func:`build_demo` says at which sheet rows they ended up.
"""
from __future__ import annotations

import datetime as dt
import io
import random
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, NamedTuple
from xml.sax.saxutils import escape

from .problems import column_letter
from .schema import MONEY, RATE, STAFF_POST, STATUSES, TAB_NAMES, TABLES

PLANNED, RUNNING, DONE, POSTPONED, CANCELLED = STATUSES

Row = dict[str, object]
Tabs = dict[str, list[list]]

DAY = dt.timedelta(days=1)
UNTIL = dt.date(2026, 11, 27)
FIXED_TIMESTAMP = dt.datetime(2026, 11, 27, 8, 0)  # workbook properties and zip entry times
DATE_FORMAT = "DD/MM/YYYY"
MONEY_FORMAT = "#,##0.00"
EXTRA_COLUMNS = {"Uren": ["Notities"]}  # a column partners added themselves; the loader ignores it

# --- The partnership -------------------------------------------------------------------------

PARTNERS = {
    "ATK": "ATK vzw",
    "DOMO": "Domo Vlaanderen vzw",
    "EKC": "Eigen Kracht Conferenties vzw",
    "Lus": "Lus vzw",
    "Magenta": "Magenta vzw",
}

# Five people per partner; four of them work on BAZ in any given year (see _staff).
STAFF = {
    "ATK": ("Sofie Vermeulen", "Bart Claes", "Lien De Smet", "Koen Wouters", "Nele Jacobs"),
    "DOMO": ("Els Maes", "Pieter Willems", "Hanne Goossens", "Jef Mertens", "Ine Peeters"),
    "EKC": ("Karen Janssens", "Wim Lemmens", "Sara Verhoeven", "Tom Van den Broeck", "Griet Hermans"),
    "Lus": ("Joke Vandenberghe", "Dries Desmet", "Marieke Declercq", "Stijn Vanhove", "Evi Verstraete"),
    "Magenta": ("Katrien Michiels", "Bram Aerts", "Leen Van Damme", "Jan Coppens", "Fien Smets"),
}

# Two members per partner in the steering group (stuurgroep), as the year plan describes.
STEERING = {
    "ATK": ("Rik Geerts", "Ann Stevens"),
    "DOMO": ("Marc Lambrechts", "Hilde Wuyts"),
    "EKC": ("Luc Vermeiren", "Greet Timmermans"),
    "Lus": ("Dirk Vanneste", "Mieke Decock"),
    "Magenta": ("Paul Segers", "Veerle Dewilde"),
}


class Subproject(NamedTuple):
    name: str
    lead: str                  # trekker
    partners: tuple[str, ...]  # partners with a Personeel budget line (lead first)


SUBPROJECTS = {
    "DP1": Subproject("BAZ voor iedereen", "Lus", ("Lus", "DOMO", "ATK", "Magenta")),
    "DP2": Subproject("BAZ in de eerstelijns", "EKC", ("EKC", "DOMO", "Lus")),
    "DP3": Subproject("BAZ Lokaal", "Magenta", ("Magenta", "DOMO", "EKC", "ATK", "Lus")),
}

GOALS = {  # code -> (subproject, text from the year plan)
    "SD1": ("DP1", "BAZ voor iedereen wil burgers inspireren en prikkelen om op een gewone manier "
                   "zorg te dragen voor elkaar."),
    "SD2": ("DP1", "BAZ voor iedereen stimuleert deelname aan de samenleving van ieder van ons."),
    "SD3": ("DP1", "BAZ voor iedereen zet in op een krachtgerichte en positieve kijk op vrijwillig "
                   "engagement van alle burgers."),
    "SD4": ("DP1", "BAZ voor iedereen gaat op zoek naar partnerschappen (steunpunt "
                   "vrijwilligerswerk, Give a Day, ...)."),
    "SD5": ("DP2", "BAZ in de eerste lijn stelt een actieplan op om meer (h)erkenning te realiseren "
                   "rond de tweede welzijnspijler binnen de eerstelijns hulpverlening."),
    "SD6": ("DP2", "BAZ in de eerstelijns gaat terug in gesprek met VIVEL rond het versterken van de "
                   "stem van de burgers binnen de zorgraden van ELZ."),
    "SD7": ("DP3", "BAZ Lokaal informeert lokale besturen over hun mogelijke rol en inspireert hen "
                   "via o.a. het aanreiken van good practices."),
    "SD8": ("DP3", "BAZ Lokaal biedt inspiratie en kennisuitwisseling via de opstart van lerende "
                   "netwerken en de rubriek 'inspireer elkaar' van het BAZ-platform."),
    "SD9": ("DP3", "BAZ Lokaal start op vraag van lokale besturen proeftuinen op om hen te "
                   "ondersteunen in de uitbouw en/of versterking van de tweede welzijnspijler."),
    "SD10": ("DP3", "BAZ Lokaal gaat op zoek naar partnerschappen om haar doelstelling te "
                    "realiseren."),
    "SD11": ("DP3", "BAZ Lokaal zet een communicatiecampagne op naar lokale besturen om hen te "
                    "informeren over het aanbod van BAZ en hen te stimuleren om BAZ Lokaal als "
                    "partner te betrekken."),
}

ACTION_TITLES = {
    "SD1": ("Campagne 'Gewoon zorgzaam' op sociale media",
            "Verhalen van zorgzame buren verzamelen en delen",
            "Affichecampagne in bibliotheken en dienstencentra",
            "Podcastreeks over zorg dragen voor elkaar",
            "Inspiratiedag 'Iedereen aan zet'",
            "Filmpjes met getuigenissen van burgers"),
    "SD2": ("Toeleiding van mensen in een kwetsbare situatie naar burgerinitiatieven",
            "Drempelverlagende buurtactiviteiten samen met het OCMW",
            "Buddywerking 'Samen op stap' uitbreiden",
            "Infosessies over deelname voor nieuwkomers",
            "Onthaalgesprekken met nieuwe deelnemers",
            "Buurtmaaltijden als ontmoetingsplek"),
    "SD3": ("Vorming krachtgericht vrijwillig engagement voor begeleiders",
            "Methodiekfiche 'Iedereen kan iets bijdragen'",
            "Intervisie voor vrijwilligerscoördinatoren",
            "Visietekst over vrijwillig engagement als burgerschap",
            "Workshop 'Talenten van deelnemers zichtbaar maken'",
            "Getuigenissen van vrijwilligers in een kwetsbare situatie"),
    "SD4": ("Partnerschap met Give a Day uitwerken",
            "Samenwerkingsovereenkomst met het steunpunt vrijwilligerswerk",
            "Verkennend gesprek met het Vlaams Welzijnsverbond",
            "Gezamenlijke vacatures op het vrijwilligersplatform",
            "Overleg met het netwerk tegen armoede",
            "Gezamenlijke studiedag met de partners"),
    "SD5": ("Actieplan eerstelijns uitschrijven",
            "Bevraging van eerstelijnswerkers over de tweede welzijnspijler",
            "Vorming voor huisartsen en thuisverpleging",
            "Sociale kaart van burgerinitiatieven per eerstelijnszone",
            "Inspiratiemoment voor CAW-medewerkers",
            "Casusbesprekingen met eerstelijnswerkers"),
    "SD6": ("Gesprek met VIVEL over de zorgraden van de ELZ",
            "Nota 'De stem van de burger in de zorgraad'",
            "Burgervertegenwoordigers in zorgraden ondersteunen",
            "Terugkoppeling over VIVEL naar de stuurgroep",
            "Workshop voor eerstelijnszones over burgerparticipatie"),
    "SD7": ("Good practices van lokale besturen bundelen",
            "Infosessie over de rol van lokale besturen",
            "Brochure 'Lokaal bestuur als regisseur'",
            "Kennismakingsgesprekken met schepenen van welzijn",
            "Inspiratiereeks voor raadsleden",
            "Webinar 'Zorgzame buurten in je gemeente'"),
    "SD8": ("Opstart lerend netwerk zorgzame buurten",
            "Lerend netwerk buddywerkingen",
            "Rubriek 'inspireer elkaar' op het BAZ-platform",
            "Uitwisselingsmoment tussen lokale besturen",
            "Verslagen van de lerende netwerken op het platform",
            "Studiebezoek aan een zorgzame buurt"),
    "SD9": ("Proeftuin buurtzorg met een lokaal bestuur",
            "Proeftuin 'Iedereen aan zet' in een stadswijk",
            "Intake van nieuwe aanvragen voor proeftuinen",
            "Begeleiding en tussentijdse evaluatie van de proeftuinen",
            "Draaiboek proeftuinen uitschrijven",
            "Slotmoment proeftuinen"),
    "SD10": ("Partnerschap met VVSG verkennen",
             "Samenwerking met eerstelijnszones rond BAZ Lokaal",
             "Gesprek met de provincie over ondersteuning",
             "Overleg met Samenlevingsopbouw",
             "Afspraken met lokale vrijwilligerscentra"),
    "SD11": ("Communicatiecampagne naar lokale besturen",
             "Mailing naar alle schepenen van welzijn",
             "Artikel in het magazine Lokaal",
             "Stand op het congres van lokale besturen",
             "Nieuwsbrief BAZ Lokaal",
             "Filmpje 'Waarom BAZ Lokaal?'"),
}

COMMUNICATION = (
    "Bericht in de nieuwsbrief van BAZ", "Post op het BAZ-platform", "Berichten op Facebook en LinkedIn",
    "Verslag aan de stuurgroep", "Mailing naar de lokale besturen", "Artikel op de websites van de partners",
)
EFFECT_MEASUREMENT = (
    "Korte bevraging van de deelnemers na afloop", "Aantal deelnemers geregistreerd",
    "Evaluatiegesprek met het lokaal bestuur", "Bereik op sociale media opgevolgd",
    "Vragenlijst bij eerstelijnswerkers", "Tevredenheidsmeting na de vorming",
)
LESSONS = (
    "Lokale besturen reageren sneller op een persoonlijke uitnodiging dan op een mailing.",
    "Burgers zelf aan het woord laten werkt beter dan een presentatie.",
    "Plan lerende netwerken niet tijdens de schoolvakanties.",
    "Tijdig afspraken maken met de eerstelijnszone spaart veel tijd.",
    "In kleine groepen is er meer uitwisseling.",
    "Een concreet voorbeeld uit de buurt overtuigt meer dan cijfers.",
    "Online bereiken we meer mensen, fysiek ontstaat er meer verbinding.",
    "Betrek mensen met ervaring in kwetsbaarheid van bij de start.",
)


class IndicatorSpec(NamedTuple):
    text: str
    target: int
    aggregation: str       # "som" or "laatste"
    percent: bool = False  # a percentage: target does not grow, values have one decimal


INDICATORS = {
    "SD1": (IndicatorSpec("Aantal gedeelde verhalen 'gewoon zorgzaam'", 24, "som"),
            IndicatorSpec("Bereik van de campagne op sociale media", 15000, "som")),
    "SD2": (IndicatorSpec("Aantal deelnemers in een kwetsbare situatie", 120, "som"),
            IndicatorSpec("Aantal burgerinitiatieven dat nieuwe deelnemers toeleidt", 15, "laatste")),
    "SD3": (IndicatorSpec("Aantal vormingen krachtgericht vrijwillig engagement", 8, "som"),
            IndicatorSpec("Tevredenheid deelnemers vormingen (%)", 80, "laatste", percent=True)),
    "SD4": (IndicatorSpec("Aantal afgesloten partnerschappen", 3, "laatste"),
            IndicatorSpec("Aantal vacatures op Give a Day via BAZ", 40, "som")),
    "SD5": (IndicatorSpec("Aantal eerstelijnsorganisaties betrokken bij het actieplan", 20, "laatste"),
            IndicatorSpec("Aantal bereikte eerstelijnswerkers", 250, "som")),
    "SD6": (IndicatorSpec("Aantal overlegmomenten met VIVEL", 4, "som"),
            IndicatorSpec("Aantal zorgraden met een burgervertegenwoordiger", 10, "laatste")),
    "SD7": (IndicatorSpec("Aantal gedeelde good practices", 20, "som"),
            IndicatorSpec("Aantal geïnformeerde lokale besturen", 60, "laatste")),
    "SD8": (IndicatorSpec("Aantal lokale besturen in een lerend netwerk", 12, "laatste"),
            IndicatorSpec("Aantal bijdragen in de rubriek 'inspireer elkaar'", 30, "som")),
    "SD9": (IndicatorSpec("Aantal lopende proeftuinen", 4, "laatste"),
            IndicatorSpec("Aantal burgers betrokken in proeftuinen", 150, "som")),
    "SD10": (IndicatorSpec("Aantal partnerschappen van BAZ Lokaal", 5, "laatste"),),
    "SD11": (IndicatorSpec("Aantal lokale besturen bereikt met de campagne", 150, "laatste"),
             IndicatorSpec("Aantal aanvragen voor BAZ Lokaal", 10, "som")),
}
MEASUREMENT_NOTES = (
    "Telling na het lerend netwerk", "Schatting van de projectverantwoordelijke",
    "Bron: registratie BAZIEL-team", "Cijfer doorgegeven door de partner", "Tussentijdse telling",
)

# --- Hours and money ------------------------------------------------------------------------

GENERAL_TASKS = ("Overleg BAZIEL-team", "Voorbereiding stuurgroep", "Mails en administratie",
                 "Verslag opmaken", "Verplaatsing")
TASKS = {
    "DP1": ("Verhalen verzamelen", "Voorbereiding campagne", "Overleg met Give a Day",
            "Workshop vrijwillig engagement", "Contact steunpunt vrijwilligerswerk",
            "Buurtactiviteit begeleiden") + GENERAL_TASKS,
    "DP2": ("Overleg eerstelijnszone", "Voorbereiding gesprek VIVEL", "Actieplan eerstelijns uitschrijven",
            "Vorming hulpverleners", "Zorgraad ELZ bijwonen", "Casusbespreking") + GENERAL_TASKS,
    "DP3": ("Lerend netwerk voorbereiden", "Bezoek lokaal bestuur", "Proeftuin opvolgen",
            "Good practice uitschrijven", "Bijdrage 'inspireer elkaar'", "Mailing lokale besturen")
           + GENERAL_TASKS,
}
HOUR_NOTES = ("Ingehaald van vorige week", "Incl. verplaatsing", "Samen met collega van DOMO",
              "Avondvergadering", "Vervanging zieke collega", "Online", "Zaterdagactiviteit",
              "Nog na te vragen bij de coördinator")

HOURS = (0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 5.0, 6.0, 7.0, 8.0)
HOUR_WEIGHTS = (14, 4, 18, 3, 14, 2, 14, 5, 9, 3, 7, 3, 2, 1, 1)
ROWS_PER_DAY = (1, 2, 3, 4)
ROWS_PER_DAY_WEIGHTS = (20, 30, 30, 20)
MAX_HOURS_PER_DAY = 9.0
HOLIDAYS = ((1, 1), (5, 1), (7, 21), (8, 15), (11, 1), (11, 11), (12, 25))  # (month, day)

BASE_RATE = {"ATK": 48.50, "DOMO": 50.00, "EKC": 52.50, "Lus": 47.00, "Magenta": 45.00}
RATE_BASE_YEAR, RATE_INDEXATION = 2026, 1.02
FILLS_IN_AMOUNT = {"DOMO", "EKC", "Magenta"}  # the others leave Bedrag empty on Personeel lines
OVER_BUDGET = {("DP1", "Lus"), ("DP2", "EKC")}  # (subproject, partner) that spend more hours than budgeted
UNDER_BUDGET_PARTNER = "ATK"                     # stays well under its budget everywhere
COST_POSTS = {"Communicatie": (20, 60), "Werkingskosten": (15, 40), "Vorming": (10, 30)}  # hundreds of euro
EXPENSE_TEXTS = {
    "Communicatie": ("Drukwerk flyers", "Vormgeving brochure", "Gesponsorde berichten sociale media",
                     "Fotograaf inspiratiedag", "Montage filmpje", "Affiches"),
    "Werkingskosten": ("Zaalhuur", "Catering", "Verplaatsingsonkosten vrijwilligers",
                       "Materiaal workshop", "Verzekering vrijwilligers"),
    "Vorming": ("Lesgever vorming", "Inschrijving studiedag", "Vakliteratuur", "Supervisie en intervisie"),
}


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


# --- Planted mistakes and noise (last year only) ---------------------------------------------

@dataclass
class _Plot:
    """The last year's rows, where mistakes and noise are planted without overlapping."""
    year: int
    until: dt.date
    tabs: dict[str, list[Row]]
    used: set[int]

    def pick(self, tab: str, at: float, where: Callable[[Row], bool] = bool, count: int = 1) -> list[Row]:
        """`count` unused rows satisfying `where`, searching from fraction `at` of the tab onwards."""
        rows = self.tabs[tab]
        start = int(len(rows) * at)
        found = list(islice((r for r in rows[start:] + rows[:start]
                             if id(r) not in self.used and r and where(r)), count))
        self.used.update(map(id, found))
        return found

    def insert_after(self, tab: str, anchor: Row, row: Row) -> list[Row]:
        rows = self.tabs[tab]
        rows.insert(next(i for i, r in enumerate(rows) if r is anchor) + 1, row)
        self.used.add(id(row))
        return [row]

    def action_ids(self, dp: str) -> list[str]:
        return [a["ID"] for a in self.tabs["Acties"] if GOALS.get(a["Doelstelling"], ("",))[0] == dp]


def _set(rows: list[Row], **values) -> list[Row]:
    for row in rows:
        row.update(values)
    return rows


def _has(column: str, value) -> Callable[[Row], bool]:
    return lambda row: row.get(column) == value


def _same_person_day_over_24(plot: _Plot) -> list[Row]:
    """Two rows of one person on one day, typed as 14 and 12 hours."""
    rows = plot.tabs["Uren"]
    start = int(len(rows) * 0.72)
    for a, b in zip(rows[start:], rows[start + 1:]):
        same = a["Datum"] == b["Datum"] and a["Medewerker"] == b["Medewerker"]
        if same and not plot.used & {id(a), id(b)}:
            plot.used |= {id(a), id(b)}
            return _set([a], Uren=14.0) + _set([b], Uren=12.0)
    return []


def _action_of_other_subproject(plot: _Plot) -> list[Row]:
    rows = plot.pick("Uren", 0.45, lambda r: r["Deelproject"] == "DP1" and r["Actie"])
    return _set(rows, Actie=plot.action_ids("DP3")[0])


def _duplicate_action_id(plot: _Plot) -> list[Row]:
    original = plot.pick("Acties", 0.45)[0]
    copy = {**original, "Actie": f"{original['Actie']} (tweede reeks)", "Lessons learned": None}
    return plot.insert_after("Acties", original, copy)


def _unknown_goal(plot: _Plot) -> list[Row]:
    actions = plot.tabs["Acties"]
    number = max(int(a["ID"].split("-")[1]) for a in actions) + 1
    row = {"ID": f"A{plot.year}-{number:02d}", "Doelstelling": "SD12",
           "Actie": f"Voorbereiding jaarplan {plot.year + 1}", "Trekker": "DOMO",
           "Verantwoordelijke": _staff("DOMO", plot.year)[0], "Start": plot.until - 20 * DAY,
           "Deadline": dt.date(plot.year, 12, 15), "Status": RUNNING, "Voortgang": 25,
           "Laatst bijgewerkt": plot.until - DAY}
    return plot.insert_after("Acties", actions[-1], row)


def _as_text_dates(rows: list[Row]) -> list[Row]:
    for row in rows:
        row["Datum"] = f"{row['Datum']:%d/%m/%Y}"
    return rows


def _notes(plot: _Plot) -> list[Row]:
    rows = [row for i in range(8) for row in plot.pick("Uren", 0.74 + i * 0.02)]
    for row, note in zip(rows, HOUR_NOTES):
        row["Notities"] = note
    return rows


def _empty_row(plot: _Plot) -> list[Row]:
    rows = plot.tabs["Uren"]
    return plot.insert_after("Uren", rows[len(rows) // 2], {}) if rows else []


Plant = Callable[[_Plot], list[Row]]
_MISTAKES: list[tuple[str, str, Plant]] = [
    ("Uren", "Partner code typo 'Magneta' for Magenta",
     lambda p: _set(p.pick("Uren", 0.08, _has("Partner", "Magenta")), Partner="Magneta")),
    ("Uren", "Impossible date typed as text '31/02/<year>'",
     lambda p: _set(p.pick("Uren", 0.1, lambda r: r["Datum"].month == 2 and r["Datum"].day >= 20),
                    Datum=f"31/02/{p.year}")),
    ("Uren", "Hours 25 on one row (2,5 typed without the comma)",
     lambda p: _set(p.pick("Uren", 0.16, _has("Uren", 2.5)), Uren=25)),
    ("Uren", "Hours typed as the word 'twee'",
     lambda p: _set(p.pick("Uren", 0.32, _has("Uren", 2.0)), Uren="twee")),
    ("Uren", "Action of subproject DP3 booked on a DP1 row", _action_of_other_subproject),
    ("Uren", "One person, one day, two rows of 14 and 12 hours (more than 24 h)",
     _same_person_day_over_24),
    ("Uren", "ATK hours on DP2, where ATK has no Personeel budget line",
     lambda p: _set(p.pick("Uren", 0.58, _has("Partner", "ATK"), count=3), Deelproject="DP2", Actie=None)),
    ("Acties", "Unknown status 'Klaar'",
     lambda p: _set(p.pick("Acties", 0.2, _has("Status", DONE)), Status="Klaar")),
    ("Acties", "Voortgang 120",
     lambda p: _set(p.pick("Acties", 0.6, _has("Status", DONE)), Voortgang=120)),
    ("Acties", "Duplicate action ID: a row was copied and its ID left unchanged", _duplicate_action_id),
    ("Acties", "Unknown goal 'SD12'", _unknown_goal),
    ("Metingen", "Measurement of unknown indicator 'I9999-01'",
     lambda p: _set(p.pick("Metingen", 0.5), Indicator="I9999-01")),
]
_NOISE: list[tuple[str, str, Plant]] = [
    ("Uren", "Partner code typed as 'magenta ' (lower case, trailing space)",
     lambda p: _set(p.pick("Uren", 0.27, _has("Partner", "Magenta"), count=2), Partner="magenta ")),
    ("Uren", "Hours typed as text with a decimal comma '1,5'",
     lambda p: _set(p.pick("Uren", 0.35, _has("Uren", 1.5), count=4), Uren="1,5")),
    ("Uren", "Hours typed as text with a decimal point '2.5'",
     lambda p: _set(p.pick("Uren", 0.52, _has("Uren", 2.5), count=2), Uren="2.5")),
    ("Uren", "Dates typed as text 'dd/mm/yyyy'",
     lambda p: _as_text_dates(p.pick("Uren", 0.66, count=4))),
    ("Uren", "Extra column 'Notities' added by partners; some rows carry a note", _notes),
    ("Uren", "An empty row in the middle of the sheet", _empty_row),  # last: it shifts rows
]
DELIBERATE_MISTAKES: list[tuple[str, str]] = [(tab, text) for tab, text, _ in _MISTAKES]
VALID_NOISE: list[tuple[str, str]] = [(tab, text) for tab, text, _ in _NOISE]


# --- The whole workbook ---------------------------------------------------------------------

@dataclass
class Planted:
    tab: str
    description: str
    rows: list[int]  # sheet row numbers (the header is row 1)


@dataclass
class Demo:
    tabs: Tabs
    mistakes: list[Planted]  # in the order of DELIBERATE_MISTAKES
    noise: list[Planted]     # in the order of VALID_NOISE


def build_demo(years: int = 1, seed: int = 2021, last_year: int = 2026, until: dt.date = UNTIL) -> Demo:
    """The demo workbook plus where its planted mistakes and noise ended up."""
    if years < 1 or until < dt.date(last_year, 1, 1):
        raise ValueError("years must be at least 1 and `until` must fall in or after last_year")
    per_year = [_build_year(_Year(year, until, random.Random(seed * 10_000 + year)))
                for year in range(last_year - years + 1, last_year + 1)]
    plot = _Plot(last_year, until, per_year[-1], set())
    mistakes = [(tab, text, plant(plot)) for tab, text, plant in _MISTAKES]
    noise = [(tab, text, plant(plot)) for tab, text, plant in _NOISE]

    rows = {tab: [row for year_rows in per_year for row in year_rows.get(tab, [])] for tab in TAB_NAMES}
    rows["Partners"], rows["Gebruikers"] = _partners(), _users(last_year)
    sheet_row = {id(row): i + 2 for tab_rows in rows.values() for i, row in enumerate(tab_rows)}

    def located(items: list[tuple[str, str, list[Row]]]) -> list[Planted]:
        return [Planted(tab, text, [sheet_row[id(r)] for r in planted]) for tab, text, planted in items]

    return Demo({tab: _sheet(tab, tab_rows) for tab, tab_rows in rows.items()}, located(mistakes),
                located(noise))


def _sheet(tab: str, rows: list[Row]) -> list[list]:
    """Header plus one list per row, trailing empty cells dropped (as the sources return them)."""
    header = TABLES[tab].column_names + EXTRA_COLUMNS.get(tab, [])
    out = [header]
    for row in rows:
        cells = [row.get(name) for name in header]
        while cells and cells[-1] is None:
            cells.pop()
        out.append(cells)
    return out


def build_demo_tabs(years: int = 1, seed: int = 2021, last_year: int = 2026,
                    until: dt.date = UNTIL) -> Tabs:
    """Tab name -> rows; row 0 is the header row, row i is sheet row i + 1."""
    return build_demo(years, seed, last_year, until).tabs


def row_counts(tabs: Tabs) -> dict[str, int]:
    """Non-empty data rows per tab."""
    return {tab: sum(1 for row in rows[1:] if row) for tab, rows in tabs.items()}


def generate(out_path, years: int = 1, seed: int = 2021, last_year: int = 2026,
             until: dt.date = UNTIL) -> dict[str, int]:
    """Write the demo workbook to `out_path` (.xlsx or .ods); returns data rows per tab."""
    tabs = build_demo_tabs(years, seed, last_year, until)
    write_workbook(tabs, out_path)
    return row_counts(tabs)


# --- Writing --------------------------------------------------------------------------------

def write_workbook(tabs: Tabs, path) -> None:
    """Write the tabs as .xlsx (or .ods when the path says so), byte-for-byte reproducible."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    entries = _ods_entries(tabs) if path.suffix.lower() == ".ods" else _zip_entries(_xlsx_bytes(tabs))
    stamp = FIXED_TIMESTAMP.timetuple()[:6]
    with zipfile.ZipFile(path, "w") as archive:
        for name, data, compression in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)  # not the current time, as zipfile would
            info.compress_type, info.external_attr = compression, 0o644 << 16
            archive.writestr(info, data)


ZipEntry = tuple[str, bytes, int]  # name, content, compression


def _zip_entries(data: bytes) -> list[ZipEntry]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(e.filename, archive.read(e), e.compress_type) for e in archive.infolist()]


def _xlsx_bytes(tabs: Tabs) -> bytes:
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    book = Workbook(write_only=True)
    book.properties.creator = "BAZ demo"
    book.properties.created = book.properties.modified = FIXED_TIMESTAMP
    for tab, rows in tabs.items():
        _xlsx_sheet(book.create_sheet(tab), tab, rows)
    buffer = io.BytesIO()
    # ExcelWriter rather than book.save(): save() stamps the current time as "modified".
    ExcelWriter(book, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    return buffer.getvalue()


def _xlsx_sheet(sheet, tab: str, rows: list[list]) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    header = rows[0]
    table = TABLES[tab]
    money = [name in table.column_names and table.kind_of(name) in (MONEY, RATE) for name in header]
    sheet.freeze_panes = "A2"
    for i, width in enumerate(_column_widths(rows)):
        sheet.column_dimensions[column_letter(i)].width = width

    def cell(value, number_format=None, bold=False):
        out = WriteOnlyCell(sheet, value)
        out.number_format = number_format or out.number_format
        if bold:
            out.font = Font(bold=True)
        return out

    sheet.append([cell(name, bold=True) for name in header])
    for row in rows[1:]:
        sheet.append([cell(v, DATE_FORMAT) if isinstance(v, dt.date)
                      else cell(v, MONEY_FORMAT) if is_money and isinstance(v, float) else v
                      for v, is_money in zip(row, money)])


def _column_widths(rows: list[list], sample: int = 300) -> list[int]:
    widths = [len(name) + 4 for name in rows[0]]
    for row in rows[1:sample]:
        for i, value in enumerate(row):
            widths[i] = max(widths[i], len(str(value)) + 2 if value is not None else 0)
    return [min(width, 60) for width in widths]


# A minimal OpenDocument spreadsheet: written directly, as odfpy is slow and not reproducible.
ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
_ODS_NAMESPACES = " ".join(f'xmlns:{prefix}="urn:oasis:names:tc:opendocument:xmlns:{urn}"' for prefix, urn in (
    ("office", "office:1.0"), ("style", "style:1.0"), ("table", "table:1.0"), ("text", "text:1.0"),
    ("number", "datastyle:1.0")))
_ODS_STYLES = (
    '<office:automatic-styles><number:date-style style:name="ddmmyyyy">'
    '<number:day number:style="long"/><number:text>/</number:text>'
    '<number:month number:style="long"/><number:text>/</number:text>'
    '<number:year number:style="long"/></number:date-style>'
    '<style:style style:name="date" style:family="table-cell" style:data-style-name="ddmmyyyy"/>'
    '</office:automatic-styles>')
_ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    f'<manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="{ODS_MIMETYPE}"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    '</manifest:manifest>')


def _ods_entries(tabs: Tabs) -> list[ZipEntry]:
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n',
             f'<office:document-content {_ODS_NAMESPACES} office:version="1.2">', _ODS_STYLES,
             "<office:body><office:spreadsheet>"]
    for tab, rows in tabs.items():
        parts.append(f'<table:table table:name="{escape(tab)}">')
        for row in rows:
            parts.append("<table:table-row>" + ("".join(map(_ods_cell, row)) or "<table:table-cell/>")
                         + "</table:table-row>")
        parts.append("</table:table>")
    parts.append("</office:spreadsheet></office:body></office:document-content>")
    return [("mimetype", ODS_MIMETYPE.encode(), zipfile.ZIP_STORED),  # first and uncompressed
            ("content.xml", "".join(parts).encode(), zipfile.ZIP_DEFLATED),
            ("META-INF/manifest.xml", _ODS_MANIFEST.encode(), zipfile.ZIP_DEFLATED)]


def _ods_cell(value) -> str:
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, dt.date):
        return (f'<table:table-cell table:style-name="date" office:value-type="date" '
                f'office:date-value="{value.isoformat()}"><text:p>{value:%d/%m/%Y}</text:p></table:table-cell>')
    if isinstance(value, (int, float)):
        return (f'<table:table-cell office:value-type="float" office:value="{value!r}">'
                f"<text:p>{value}</text:p></table:table-cell>")
    return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'
