"""One Russian number format everywhere (ag_app/domain/numfmt.py): the rules, their use on the
«Статистика» table and the home of every page's numbers, and a scan so hand-made formatting cannot
come back."""

import re
from pathlib import Path

import pytest

from ag_app.api.stats import stats_csv
from ag_app.domain import numfmt
from ag_app.domain.stats import SUPPRESSED, published_counts, shown_count
from ag_app.services.stats import OptionStats, PollStatsView, QuestionStats, stats_table
from ag_app.state import fmt

NBSP = "\xa0"
SOURCE = Path(__file__).resolve().parents[2] / "ag_app"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "0"),
        (7, "7"),
        (999, "999"),
        (1000, f"1{NBSP}000"),
        (4824, f"4{NBSP}824"),
        (12345, f"12{NBSP}345"),
        (1234567, f"1{NBSP}234{NBSP}567"),
        (-2500, f"-2{NBSP}500"),
        (1234.5, f"1{NBSP}234,5"),
    ],
)
def test_num_groups_thousands_with_a_no_break_space(value, expected):
    assert numfmt.num(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, f"0,0{NBSP}%"),
        (12.5, f"12,5{NBSP}%"),
        (12.345, f"12,3{NBSP}%"),
        (50, f"50,0{NBSP}%"),
        (99.96, f"100,0{NBSP}%"),
        (100.0, f"100,0{NBSP}%"),
        (1234.56, f"1{NBSP}234,6{NBSP}%"),
    ],
)
def test_percent_always_has_one_decimal(value, expected):
    assert numfmt.percent(value) == expected


@pytest.mark.parametrize(
    ("function", "value", "expected"),
    [
        (numfmt.rubles, 150000, f"150{NBSP}000{NBSP}₽"),
        (numfmt.kopecks, 123456, f"1{NBSP}234,56{NBSP}₽"),
        (numfmt.kopecks, 5, f"0,05{NBSP}₽"),
        (numfmt.decimal1, 1000, f"1{NBSP}000,0"),
    ],
)
def test_amounts(function, value, expected):
    assert function(value) == expected


def test_the_ui_helpers_are_the_same_functions():
    assert (fmt.num, fmt.percent) == (numfmt.num, numfmt.percent)


def test_published_counts_of_people_are_grouped():
    assert shown_count(4824) == f"4{NBSP}824"
    assert shown_count(None) == SUPPRESSED
    assert published_counts([4824, 1200]) == [f"4{NBSP}824", f"1{NBSP}200"]


def _view() -> PollStatsView:
    return PollStatsView(
        poll_id=1,
        poll_title="Парк",
        dimension="age",
        dimension_name="Возраст",
        total=6024,
        keys=["18–24", "25–34"],
        labels=["18–24", "25–34"],
        ballots=[4824, 1200],
        questions=[
            QuestionStats(7, "Нужен ли каток?", "single", [OptionStats(70, "Да", 6024, [4824, 1200])])
        ],
        min_cell=5,
    )


def test_statistics_table_shows_grouped_counts_and_its_csv_plain_digits():
    """/stats shows «4 824» in its table; the CSV download keeps «4824» for spreadsheets."""
    _, rows = stats_table(_view(), question_id=7)
    assert rows[0] == ["18–24", f"4{NBSP}824", f"4{NBSP}824"]
    csv_text = stats_csv(_view())
    assert "18–24,4824,4824" in csv_text
    assert NBSP not in csv_text


# ----------------------------------------------------------------------------------------------
# The scan: shown numbers are formatted only by ag_app/domain/numfmt.py.

# Files whose numbers are not for reading on a page: the legal protocol PDF keeps two exact
# decimals, benchmarks print machine JSON, the CLI prints timings.
EXEMPT = {
    "domain/numfmt.py",
    "services/protocol_pdf.py",
    "cli.py",
}
EXEMPT_DIRS = ("bench/",)
HAND_MADE = {
    "a decimal comma by hand": re.compile(r"""\.replace\(\s*["']\.["']\s*,\s*["'],["']\s*\)"""),
    "digit grouping by hand": re.compile(r""":,[^}]*\}["']?\)?\s*\.replace\(\s*["'],["']"""),
    "a percent sign after a formatted number": re.compile(
        r"""(\{[^{}]*:[^{}]*\.\d+f\}|\{[^{}]*:,?d?\})[ \u00a0]*(\\xa0|\\u00a0| )%|["'] ?(\\xa0|\\u00a0)?%["']"""
    ),
}


def _offences() -> list[str]:
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        relative = path.relative_to(SOURCE).as_posix()
        if relative in EXEMPT or relative.startswith(EXEMPT_DIRS):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for what, pattern in HAND_MADE.items():
                if pattern.search(line):
                    found.append(f"{relative}:{number}: {what}: {line.strip()}")
    return found


def test_the_scan_sees_hand_made_formatting():
    samples = [
        'f"{value:.1f}".replace(".", ",")',
        'f"{amount:,}".replace(",", "\\u00a0")',
        'f"{share:.1f} %"',
        'f"{share:.1f}\\xa0%"',
        'rx.table.cell(option["percent"] + " %")',
    ]
    for sample in samples:
        assert any(p.search(sample) for p in HAND_MADE.values()), sample
    assert not any(p.search('width=f"{share:.1f}%"') for p in HAND_MADE.values())


def test_no_hand_made_number_formatting_outside_the_formatter():
    assert _offences() == []
