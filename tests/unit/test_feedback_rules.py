"""Subscription topics and defaults, unsubscribe token signing, feedback ticket rules."""

import pytest

from ag_app.domain.errors import InvalidInput
from ag_app.domain.feedback import check_topic, clean_text, ticket_number
from ag_app.domain.subscriptions import (
    TOPICS,
    channels_of,
    check_choice,
    default_enabled,
    read_unsubscribe_token,
    unsubscribe_token,
)

KEY = "test-secret"


def test_topics_cover_the_spec_and_sms_is_only_for_house_events():
    assert set(TOPICS) == {"polls", "results", "decisions", "house", "shop"}
    assert channels_of("house") == ["app", "email", "sms"]
    assert channels_of("polls") == ["app", "email"]
    assert default_enabled("results", "email") and default_enabled("house", "sms")
    assert not default_enabled("shop", "sms")


def test_unknown_topic_or_channel_is_refused_with_a_message():
    with pytest.raises(InvalidInput) as err:
        check_choice("spam", "app")
    assert str(err.value) == "Неизвестная тема подписки."
    with pytest.raises(InvalidInput) as err:
        check_choice("polls", "sms")
    assert str(err.value) == "Эта тема не рассылается по выбранному каналу."


def test_token_round_trip_names_user_and_topic():
    token = unsubscribe_token(KEY, user_id=42, topic="results")
    assert read_unsubscribe_token(KEY, token) == (42, "results")
    assert read_unsubscribe_token(KEY, unsubscribe_token(KEY, user_id=7, topic="all")) == (7, "all")


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t.replace("42.", "43.", 1),  # another user
        lambda t: t.replace(".results.", ".polls.", 1),  # another topic
        lambda t: t[:-1] + ("0" if t[-1] != "0" else "1"),  # signature changed
        lambda t: t.rsplit(".", 1)[0],  # signature cut off
        lambda t: "",
        lambda t: t + ".x",
    ],
)
def test_tampered_token_is_refused(mangle):
    token = unsubscribe_token(KEY, user_id=42, topic="results")
    with pytest.raises(InvalidInput) as err:
        read_unsubscribe_token(KEY, mangle(token))
    assert "Ссылка отписки недействительна" in str(err.value)


def test_token_signed_with_another_key_is_refused():
    with pytest.raises(InvalidInput):
        read_unsubscribe_token(KEY, unsubscribe_token("other-key", user_id=42, topic="results"))


def test_ticket_number_and_text_limits():
    assert ticket_number(123) == "ОБ-000123"
    assert ticket_number(1234567) == "ОБ-1234567"
    assert clean_text("  Не работает карта парков  ") == "Не работает карта парков"
    with pytest.raises(InvalidInput) as err:
        clean_text("коротко")
    assert str(err.value) == "Опишите вопрос подробнее (не меньше 10 символов)."
    with pytest.raises(InvalidInput) as err:
        clean_text("я" * 4001)
    assert str(err.value) == "Текст слишком длинный (не больше 4000 символов)."
    assert check_topic("tech") == "tech"
    with pytest.raises(InvalidInput) as err:
        check_topic("nonsense")
    assert str(err.value) == "Выберите тему обращения из списка."
