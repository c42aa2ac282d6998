"""Partner report charts people can read: a value axis, values over the bars, every week on
the time axis (empty ones as gaps), "no data yet" for an empty series, one unit per column."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from quartier.partners.cases.reports import ReportFilters, partner_report
from quartier.web.partner.charts import bar_chart
from quartier.web.templatetags.partner_web import minutes
from tests.partners.cases.test_reports import at, backdate, new_case
from tests.partners.factories import make_member, make_partner, make_program

WEEK_1 = date(2026, 11, 2)  # a Monday


def test_the_value_axis_rounds_up_and_values_sit_on_the_bars():
    chart = bar_chart(
        chart_id="c", title="Cases", description="", points=[("02.11.", 7, "7"), ("09.11.", 3, "3")]
    )
    assert [tick.text for tick in chart.ticks] == ["0", "5", "10"]
    assert all(bar.show_value and bar.labelled for bar in chart.bars)
    assert not chart.empty


def test_a_long_series_labels_every_fourth_period_and_leaves_values_to_the_table():
    points = [(f"w{i}", i % 3, str(i % 3)) for i in range(26)]
    chart = bar_chart(chart_id="c", title="Cases", description="", points=points)
    assert [bar.label for bar in chart.bars if bar.labelled] == [f"w{i}" for i in range(0, 26, 4)]
    assert not any(bar.show_value for bar in chart.bars)


def test_an_all_zero_series_says_no_data_yet():
    chart = bar_chart(chart_id="c", title="Cost", description="", points=[("02.11.", 0, "0")])
    assert chart.empty


def test_one_unit_per_column():
    assert minutes(112, "h") == "1.9 h"
    assert minutes(45, "min") == "45 min"
    assert minutes(150, "min") == "150 min"


@pytest.mark.django_db
def test_a_week_without_cases_is_a_gap_not_missing(browser_as):
    partner = make_partner(slug="swisstel", name="SwissTel")
    make_program(partner)
    first, third = new_case(partner, "A"), new_case(partner, "B")
    backdate(first, at(WEEK_1, 10), timedelta(minutes=30))
    backdate(third, at(WEEK_1 + timedelta(days=14), 10), timedelta(minutes=150))

    report = partner_report(partner, ReportFilters(period="week", since=WEEK_1))
    assert [(t.period_start, t.volume) for t in report.totals] == [
        (WEEK_1, 1),
        (WEEK_1 + timedelta(days=7), 0),
        (WEEK_1 + timedelta(days=14), 1),
    ]

    page = browser_as(make_member(partner), language="de").get(
        "/partner/swisstel/reports/?since=2026-11-01"
    )
    html = page.content.decode()
    assert page.status_code == 200
    # 02.11., 09.11. (empty) and 16.11. on both charts (cases, cost avoided)
    assert html.count('class="period"') == 2 * 3
    assert "Noch keine Daten" in html  # nothing resolved: no cost avoided yet
    cells = re.findall(r'<td class="num">([^<]*)</td>', html)
    assert "0,5 Std." in cells, cells
    assert "2,5 Std." in cells  # both waits in hours, the column's unit
