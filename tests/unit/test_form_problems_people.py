"""Resident and shop forms refused as a whole name every bad field at once (issue 17, item 5)."""

from datetime import date

import pytest

from ag_app.domain.contest import SALE, parse_typed_receipt
from ag_app.domain.errors import FormProblems, InvalidInput
from ag_app.domain.feedback import check_ticket
from ag_app.domain.form_check import FormCheck
from ag_app.domain.profile import check_personal
from ag_app.i18n import message

TODAY = date(2026, 12, 7)
PERSONAL = {
    "last_name": "Фёдорова",
    "first_name": "Анна",
    "patronymic": "Сергеевна",
    "gender": "female",
    "birth_date": date(1985, 5, 17),
}


@pytest.mark.parametrize(
    ("changes", "fields", "sentences"),
    [
        pytest.param(
            {"last_name": " ", "first_name": ""},
            ["last_name", "first_name"],
            ["Ошибок: 2.", "Укажите фамилию.", "Укажите имя."],
            id="blank-form-names-both-required-names",
        ),
        pytest.param(
            {"last_name": "", "first_name": "", "gender": "robot", "birth_date": date(2020, 1, 1)},
            ["last_name", "first_name", "gender", "birth_date"],
            ["Ошибок: 4.", "Выберите пол.", "Укажите корректную дату рождения."],
            id="four-mistakes-all-reported",
        ),
        pytest.param(
            {"first_name": "Robert'); DROP", "patronymic": "<b>Иванович</b>"},
            ["first_name", "patronymic"],
            ["«Имя» может содержать", "«Отчество» может содержать"],
            id="two-independent-bad-names",
        ),
        pytest.param(
            {"gender": "robot"}, ["gender"], ["Выберите пол."], id="one-mistake-keeps-its-own-sentence"
        ),
    ],
)
def test_personal_form_lists_every_problem(changes, fields, sentences):
    with pytest.raises(FormProblems) as refused:
        check_personal(**(PERSONAL | changes), today=TODAY)
    assert list(refused.value.problems) == fields
    for sentence in sentences:
        assert sentence in str(refused.value)
    if len(fields) > 1:
        assert str(refused.value).startswith("Личные данные не сохранены, ничего не изменено.")
    else:
        assert str(refused.value) == "Выберите пол."


def test_personal_form_unreadable_date_is_listed_with_the_rest():
    prior = {"birth_date": InvalidInput("profile.birth_date_invalid")}
    with pytest.raises(FormProblems) as refused:
        check_personal(**(PERSONAL | {"last_name": ""}), today=TODAY, prior=prior)
    assert set(refused.value.problems) == {"last_name", "birth_date"}


def test_valid_personal_form_passes_cleaned():
    personal = check_personal(**(PERSONAL | {"last_name": "  Петрова-Водкина "}), today=TODAY)
    assert (personal.last_name, personal.first_name, personal.gender) == ("Петрова-Водкина", "Анна", "female")
    assert personal.birth_date == date(1985, 5, 17)


def test_a_field_refused_while_reading_is_not_checked_again_and_every_sentence_counts():
    checks = FormCheck(prior={"a": InvalidInput("profile.gender_invalid")})
    assert checks.run("a", lambda: 1) is None
    checks.add("a", InvalidInput("profile.marital_invalid"))
    with pytest.raises(FormProblems) as refused:
        checks.done("profile.personal_problems")
    gender, marital = message("profile.gender_invalid"), message("profile.marital_invalid")
    assert refused.value.key == "profile.personal_problems" and refused.value.params["count"] == 2
    assert refused.value.problems == {"a": f"{gender} {marital}"}
    FormCheck().done("profile.personal_problems")  # nothing refused: nothing raised


@pytest.mark.parametrize(
    ("topic", "text", "fields", "start"),
    [
        pytest.param("", "   ", ["topic", "text"], "Обращение не отправлено. Ошибок: 2.", id="blank-form"),
        pytest.param("weather", "x" * 4001, ["topic", "text"], "Обращение не отправлено.", id="two-mistakes"),
        pytest.param("tech", "коротко", ["text"], "Опишите вопрос подробнее", id="one-mistake-own-sentence"),
        pytest.param(
            "nope", "Не открывается страница голосования.", ["topic"], "Выберите тему", id="topic-only"
        ),
    ],
)
def test_feedback_form_lists_every_problem(topic, text, fields, start):
    with pytest.raises(FormProblems) as refused:
        check_ticket(topic, text)
    assert list(refused.value.problems) == fields
    assert str(refused.value).startswith(start)


def test_valid_feedback_form_passes():
    assert check_ticket("tech", "  Не открывается страница голосования. ") == (
        "tech",
        "Не открывается страница голосования.",
    )


RECEIPT = {"t": "2026-12-07T18:30:05", "s": "1234,5", "fn": "9960440300000020", "fd": "4242", "fp": "77"}


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        pytest.param(
            {k: "" for k in RECEIPT}, ["t", "s", "fn", "fd", "fp"], id="blank-form-names-every-field"
        ),
        pytest.param({k: None for k in RECEIPT}, ["t", "s", "fn", "fd", "fp"], id="unreadable-form"),
        pytest.param({"t": "2026-02-30T10:00", "fp": "0"}, ["t", "fp"], id="two-independent-mistakes"),
        pytest.param({"s": "0", "fn": "٩٢٨٩٠٠٠١٠٠٣٤٦٢٢٠"}, ["s", "fn"], id="zero-sum-and-arabic-digits"),
        pytest.param({"fd": "99999999999"}, ["fd"], id="one-mistake"),
    ],
)
def test_typed_receipt_lists_every_problem(changes, fields):
    with pytest.raises(FormProblems) as refused:
        parse_typed_receipt(RECEIPT | changes)
    assert list(refused.value.problems) == fields
    if len(fields) > 1:
        assert str(refused.value).startswith(f"Чек не сохранён. Ошибок: {len(fields)}.")
    else:
        assert str(refused.value) == "Номер фискального документа (i) — число от 1 до 4294967295."


def test_valid_typed_receipt_is_a_sale():
    qr = parse_typed_receipt(RECEIPT | {"fd": " 0042 "})
    assert (qr.amount_kopecks, qr.fn, qr.fd, qr.fp, qr.operation) == (123450, RECEIPT["fn"], "42", "77", SALE)
    assert qr.purchased_at.strftime("%Y-%m-%d %H:%M:%S") == "2026-12-07 18:30:05"
