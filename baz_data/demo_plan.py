"""The demo's plan content: the partnership, its year plan, and the knobs for hours and money.

Contract: constants only, no logic and no randomness. The partnership (partners, staff, the
steering group, three subprojects, goals SD1-SD11, action titles, indicators) follows the 2021
year plan; "hours and money" are the distributions and budget parameters that
:mod:`baz_data.demo_rows` draws from. Every demo year reuses this content.

Imports flow one way: demo_plan <- demo_rows <- demo_mistakes <- demo (the public entry);
demo_files stands apart (writing only). Error policy: nothing here can fail.
"""
from __future__ import annotations

from typing import NamedTuple

# --- The partnership -------------------------------------------------------------------------

PARTNERS = {
    "ATK": "ATK vzw",
    "DOMO": "Domo Vlaanderen vzw",
    "EKC": "Eigen Kracht Conferenties vzw",
    "Lus": "Lus vzw",
    "Magenta": "Magenta vzw",
}

# Five people per partner; four of them work on BAZ in any given year (see demo_rows._staff).
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

