"""Chart builders: Dutch titles and axes, the Dutch locale in the spec, and what the axes read."""
import datetime as dt
import re

import pandas as pd
import pytest

from baz_data import charts, reports

D = dt.date
PEIL = D(2021, 7, 1)


def axis_titles(spec: dict) -> set[str]:
    found = set()
    layers = spec.get("layer", [spec])
    for layer in layers:
        for channel in layer.get("encoding", {}).values():
            if isinstance(channel, dict) and "title" in channel:
                found.add(channel["title"])
    return found


def assert_dutch_locale(spec: dict) -> None:
    locale = spec["config"]["locale"]
    assert locale["number"]["decimal"] == "," and locale["number"]["thousands"] == "."
    assert locale["number"]["currency"] == ["€ ", ""]
    assert locale["time"]["months"][0] == "januari" and locale["time"]["shortMonths"][2] == "mrt"
    embed = spec["usermeta"]["embedOptions"]
    assert embed["formatLocale"] == charts.DUTCH_FORMAT_LOCALE
    assert embed["timeFormatLocale"]["days"][1] == "maandag"


@pytest.fixture
def overview(ds):
    return reports.overview(ds, 2021, PEIL)


def test_hours_per_month(overview):
    spec = charts.hours_per_month(overview.monthly_hours).to_dict()
    assert spec["title"] == "Uren per maand per deelproject"
    assert spec["mark"]["type"] == "bar"
    assert {"Maand", "Uren", "Deelproject"} <= axis_titles(spec)
    assert spec["encoding"]["x"]["axis"]["format"] == "%B"   # full month names: 'januari'
    assert spec["encoding"]["y"]["stack"] == "zero"
    assert_dutch_locale(spec)


def test_progress_chart_is_0_to_100(overview):
    spec = charts.progress_chart(overview.subprojects).to_dict()
    assert spec["title"] == "Voortgang per deelproject"
    assert spec["encoding"]["x"]["scale"]["domain"] == [0, 100]
    assert "Voortgang (%)" in axis_titles(spec)
    values = next(iter(spec["datasets"].values()))
    assert {(v["Deelproject"], v["Voortgang"]) for v in values} == {("DP1", 37.5), ("DP2", 25.0)}
    assert_dutch_locale(spec)


def test_budget_use_chart_has_the_elapsed_rule(overview):
    spec = charts.budget_use_chart(overview.subprojects).to_dict()
    assert spec["title"] == "Budgetgebruik tegenover het verstreken deel van het jaar"
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["bar", "rule", "text"]
    datasets = list(spec["datasets"].values())
    marker = next(d for d in datasets if "Label" in d[0])
    assert marker[0]["Verstreken"] == pytest.approx(182 / 365 * 100)
    assert marker[0]["Label"] == "verstreken: 50%"
    assert "Budgetgebruik (%)" in axis_titles(spec)
    assert_dutch_locale(spec)


def test_partner_quarter_hours(ds):
    report = reports.partner_report(ds, "ATK", 2021)
    spec = charts.partner_quarter_hours(report.by_quarter).to_dict()
    assert spec["title"] == "Uren per kwartaal"
    assert spec["transform"][0]["fold"] == ["Vergoed uren", "Boven budget"]
    assert spec["encoding"]["color"]["scale"]["domain"] == ["Vergoed uren", "Boven budget"]
    assert {"Kwartaal", "Uren", "Soort"} <= axis_titles(spec)
    assert_dutch_locale(spec)


def test_indicator_chart_has_target_rules(ds):
    goal = reports.goals_tree(ds, 2021, PEIL).subprojects[0].goals[0]
    spec = charts.indicator_chart(goal.measurements).to_dict()
    assert spec["title"] == "Indicatoren: stand over de tijd"
    assert [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]
            for layer in spec["layer"]] == ["line", "rule"]
    assert {"Datum", "Stand"} <= axis_titles(spec)
    assert_dutch_locale(spec)


def test_quarter_charts_leave_out_empty_parts(ds):
    q2 = reports.quarter_report(ds, 2021, 2, PEIL)
    titles = [c.to_dict()["title"] for c in charts.quarter_charts(q2)]
    assert titles == ["Voortgang per deelproject", "Uren per maand per deelproject tot en met Q2",
                      "Budgetgebruik tegenover het verstreken deel van het jaar"]
    assert charts.quarter_charts(reports.quarter_report(ds, 2022, 1, D(2022, 3, 31))) == []


def test_rendered_axes_read_dutch_numbers_and_months():
    """What a viewer sees: '10.000' on the value axis and 'januari' on the month axis."""
    import vl_convert as vlc

    monthly = pd.DataFrame({"Maand": pd.to_datetime(["2026-01-01", "2026-02-01"]),
                            "Deelproject": ["DP1", "DP1"], "Uren": [12000.0, 9000.0]})
    svg = vlc.vegalite_to_svg(charts.hours_per_month(monthly).to_json())
    labels = set(re.findall(r">([^<>]+)</text>", svg))
    assert {"10.000", "januari", "februari", "Uren per maand per deelproject"} <= labels
    assert "10,000" not in labels and "January" not in labels


def test_chart_png(overview):
    png = charts.chart_png(charts.progress_chart(overview.subprojects), scale=1)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("code", ["DP\x111", "😀" * 100], ids=["control character", "emoji"])
def test_chart_png_of_any_code(code):
    """Codes as a sheet editor may type them (issue 9): a control character (SVG cannot hold it)
    or emoji cut in half by Vega's label truncation no longer fail the PDF's charts."""
    frame = pd.DataFrame({"Deelproject": [code, "DP2"], "Voortgang": [10.0, 20.0]})
    assert charts.chart_png(charts.progress_chart(frame)).startswith(b"\x89PNG")


def test_quarter_charts_carry_the_screen_colours_per_subproject(ds):
    """Each subproject has one colour in every chart (the domain is every subproject, not the
    ones plotted), and the colours are in the spec: the Streamlit theme on screen and vl-convert
    for the PDF draw the same ones."""
    q2 = reports.quarter_report(ds, 2021, 2, PEIL)
    expected = {"domain": ["DP1", "DP2"], "range": list(charts.CATEGORY_COLORS[:2])}
    for chart in charts.quarter_charts(q2):
        spec = chart.to_dict()
        layers = spec.get("layer", [spec])
        scales = [layer["encoding"]["color"]["scale"] for layer in layers
                  if "color" in layer.get("encoding", {})]
        assert scales and all(scale == expected for scale in scales), spec["title"]
    assert charts.category_colors(["DP3", "DP1", "DP3"]) == {"DP3": "#0068c9", "DP1": "#83c9ff"}
    assert len(set(charts.category_colors([f"P{i}" for i in range(12)]).values())) == 10


def test_hours_forecast_chart_has_a_dashed_forecast_a_band_and_the_budget():
    """evaluation.hours_curve on the forecast tests' 'steady' line: written 0 → 112 h, forecast
    112 → 296 h (dashed), band 296–296, the budget rule at 200 h."""
    from baz_data import evaluation
    from tests.test_forecast import EARLIER, PEIL as AUTUMN, RECENT, line_dataset

    ds = line_dataset([(d, 14) for d in EARLIER + RECENT], 200)
    curve, budget = evaluation.hours_curve(ds, 2021, AUTUMN)
    spec = charts.hours_forecast_chart(curve, budget).to_dict()
    assert spec["title"] == "Uren cumulatief tegenover het budget"
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["area", "line", "rule", "text"]
    dash = spec["layer"][1]["encoding"]["strokeDash"]["scale"]
    assert dash["domain"] == ["Geschreven", "Prognose"] and dash["range"][1] == [6, 4]
    datasets = list(spec["datasets"].values())
    marker = next(d for d in datasets if d and "Label" in d[0])
    assert marker[0] == {"Budget": 200.0, "Label": "budget: 200 uur"}
    line = next(d for d in datasets if d and "Reeks" in d[0])
    ends = {(v["Reeks"], v["Uren"]) for v in line if v["Datum"].startswith("2021-12-31")}
    assert ends == {("Prognose", 296.0)}
    assert {"Datum", "Uren (cumulatief)"} <= axis_titles(spec)
    assert_dutch_locale(spec)
    without_budget = charts.hours_forecast_chart(curve, 0).to_dict()
    assert [layer["mark"]["type"] for layer in without_budget["layer"]] == ["area", "line"]
