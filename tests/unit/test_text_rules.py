"""Free text refuses control characters other than line breaks and tabs (one rule for every service)."""

import pytest

from ag_app.domain import feedback, house_polls, meetings, polls
from ag_app.domain.errors import InvalidInput
from ag_app.domain.house_registry import parse_row
from ag_app.domain.text import clean_text, has_control_chars

HOSTILE = [
    "нуль\x00внутри",
    "\x1b[31mкрасный\x1b[0m",
    "счёт \u202eтxt.exe",
    "изоляция \u2066текст\u2069",
    "метка \u200f",
    "C1 \x85 строка",
    "DEL \x7f",
    "забой\x08",
    "разделитель\u2028строк",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_control_characters_are_refused_with_a_russian_message(text):
    assert has_control_chars(text)
    with pytest.raises(InvalidInput) as error:
        clean_text(text)
    assert str(error.value) == "Текст содержит недопустимые управляющие символы. Уберите их и повторите."


def test_line_breaks_tabs_and_ordinary_text_pass():
    text = "Строка 1\r\nСтрока 2\n\tотступ — «кавычки» <b>html</b> '; DROP TABLE x; -- 😀 👨‍👩‍👧"
    assert clean_text(f"  {text}  ") == text
    assert not has_control_chars(text)


@pytest.mark.parametrize(
    "check",
    [
        lambda t: feedback.clean_text(t + " достаточно длинный текст"),
        lambda t: polls.staff_form.clean_text(t),
        lambda t: house_polls.clean_participation(apartment="12", comment=t),
        lambda t: meetings.validate_agenda(
            [meetings.AgendaItem(text=t, topic="capital_repair", threshold="")]
        ),
    ],
)
def test_every_free_text_rule_uses_the_check(check):
    with pytest.raises(InvalidInput, match="управляющие символы"):
        check("текст \x1b[2J")


def test_registry_file_lines_with_control_characters_are_refused():
    row, errors = parse_row(
        3,
        {
            "district": "Арбат",
            "street": "Арбат",
            "house": "1",
            "premise": "1",
            "person_ref": "P1",
            "last_name": "Иванов\x00",
        },
    )
    assert row is None
    assert any(e.key == "house_registry.control_chars" for e in errors)
