"""The staff poll form: every field of SPEC §2.1, ordered questions and ordered options.

Stable element ids (for tests): ``poll-title``, ``poll-summary``, ``poll-details``, ``poll-image``,
``poll-scope``, ``okrug-<id>``, ``okrug-<id>-districts`` (a ``<details>``: open it to reach its
districts), ``district-<id>``, ``poll-include-work``, ``poll-min-level``,
``poll-age-min``, ``poll-age-max``, ``poll-starts``, ``poll-ends``, ``poll-points``,
``poll-hide-intermediate``, ``add-expert``, ``expert-<i>-name|title|text``, ``remove-expert-<i>``,
``save-poll`` (``<i>`` counts from 0); the question editor's ids are listed in
:mod:`ag_app.components.poll_form_fields`.
"""

import reflex as rx

from ag_app.components.common import feedback, field, panel, static_select
from ag_app.components.poll_form_fields import questions_section, text_input
from ag_app.state.staff_poll_form import StaffPollFormState as S

SCOPES = [("city", "Городское (вся Москва)"), ("territorial", "Территориальное (округа, районы)")]
LEVELS = [("1", "1 — упрощённый"), ("2", "2 — стандартный"), ("3", "3 — полный")]


def _basics() -> rx.Component:
    return panel(
        "Основное",
        rx.flex(
            field(
                "Название",
                text_input("poll-title", S.title, lambda v: S.set_text("title", v), max_length=300),
                "poll-title",
            ),
            field(
                "Краткое описание",
                rx.text_area(
                    id="poll-summary", value=S.summary, on_change=lambda v: S.set_text("summary", v), rows="2"
                ),
                "poll-summary",
            ),
            field(
                "Текст «Подробнее»",
                rx.text_area(
                    id="poll-details", value=S.details, on_change=lambda v: S.set_text("details", v), rows="6"
                ),
                "poll-details",
            ),
            field(
                "Ссылка на изображение (необязательно)",
                text_input(
                    "poll-image",
                    S.image_url,
                    lambda v: S.set_text("image_url", v),
                    placeholder="https://… или /images/…",
                ),
                "poll-image",
            ),
            direction="column",
            spacing="3",
        ),
    )


def _okrug_group(okrug: rx.Var, index: rx.Var) -> rx.Component:
    """An okrug checkbox and, folded under it, the checkboxes of its districts."""
    return rx.box(
        rx.checkbox(
            okrug["name"] + " (" + okrug["abbrev"] + ") — весь округ",
            id="okrug-" + okrug["id"],
            checked=S.okrug_ids.contains(okrug["id"]),
            on_change=lambda checked: S.toggle_okrug(okrug["id"], checked),
        ),
        rx.el.details(
            rx.el.summary(
                "Районы: " + okrug["abbrev"],
                rx.cond(
                    S.district_counts[index] > 0,
                    " (выбрано: " + S.district_counts[index].to_string() + ")",
                    "",
                ),
                style={"cursor": "pointer", "margin": "0.3em 0"},
            ),
            rx.flex(
                rx.foreach(
                    S.okrug_districts[index],
                    lambda district: rx.checkbox(
                        district["name"],
                        id="district-" + district["id"],
                        checked=S.district_ids.contains(district["id"]),
                        on_change=lambda checked: S.toggle_district(district["id"], checked),
                    ),
                ),
                direction="column",
                spacing="1",
                padding_left="1.5em",
            ),
            id="okrug-" + okrug["id"] + "-districts",
        ),
        margin_bottom="0.4em",
    )


def _audience() -> rx.Component:
    return panel(
        "Территория и участники",
        rx.flex(
            field(
                "Территория",
                static_select(
                    "poll-scope", SCOPES, value=S.scope, on_change=lambda v: S.set_text("scope", v)
                ),
                "poll-scope",
            ),
            rx.cond(
                S.scope == "territorial",
                rx.el.fieldset(
                    rx.el.legend("Округа и районы голосования", style={"font_weight": "500"}),
                    rx.text(
                        "Отметьте округ целиком или раскройте его и отметьте отдельные районы.",
                        size="1",
                        color_scheme="gray",
                    ),
                    rx.foreach(S.okrugs, _okrug_group),
                    rx.text(
                        rx.text.strong("Выбрано: "),
                        rx.cond(S.territory_text != "", S.territory_text, "ничего"),
                        size="2",
                        id="poll-territory-chosen",
                    ),
                    id="poll-territory",
                    style={"border": "1px solid var(--gray-5)", "padding": "0.6em", "border_radius": "6px"},
                ),
            ),
            rx.checkbox(
                "Учитывать также адрес работы (адреса регистрации и проживания учитываются всегда)",
                id="poll-include-work",
                checked=S.include_work,
                on_change=lambda v: S.set_flag("include_work", v),
            ),
            field(
                "Минимальный уровень идентификации",
                static_select(
                    "poll-min-level",
                    LEVELS,
                    value=S.min_level,
                    on_change=lambda v: S.set_text("min_level", v),
                ),
                "poll-min-level",
            ),
            rx.el.fieldset(
                rx.el.legend(
                    "Только для родителей детей в возрасте (необязательно), лет", style={"font_weight": "500"}
                ),
                rx.flex(
                    field(
                        "от",
                        text_input(
                            "poll-age-min",
                            S.age_min,
                            lambda v: S.set_text("age_min", v),
                            type="number",
                            min=0,
                            max=18,
                        ),
                        "poll-age-min",
                    ),
                    field(
                        "до",
                        text_input(
                            "poll-age-max",
                            S.age_max,
                            lambda v: S.set_text("age_max", v),
                            type="number",
                            min=0,
                            max=18,
                        ),
                        "poll-age-max",
                    ),
                    spacing="3",
                    max_width="20em",
                ),
                style={"border": "none", "padding": "0", "margin": "0"},
            ),
            direction="column",
            spacing="3",
        ),
    )


def _timing() -> rx.Component:
    return panel(
        "Сроки и баллы",
        rx.flex(
            rx.flex(
                field(
                    "Начало (московское время)",
                    text_input(
                        "poll-starts", S.starts, lambda v: S.set_text("starts", v), type="datetime-local"
                    ),
                    "poll-starts",
                ),
                field(
                    "Окончание (московское время)",
                    text_input("poll-ends", S.ends, lambda v: S.set_text("ends", v), type="datetime-local"),
                    "poll-ends",
                ),
                spacing="3",
                wrap="wrap",
                direction=rx.breakpoints(initial="column", sm="row"),
            ),
            field(
                "Баллы за участие",
                text_input(
                    "poll-points",
                    S.points,
                    lambda v: S.set_text("points", v),
                    type="number",
                    min=0,
                    max=1000,
                    placeholder=rx.cond(S.scope == "city", "20", "5"),
                ),
                "poll-points",
                hint="Пусто — по умолчанию: 20 за городское, 5 за территориальное голосование.",
            ),
            rx.checkbox(
                "Скрывать промежуточные результаты до публикации итогов",
                id="poll-hide-intermediate",
                checked=S.hide_intermediate,
                on_change=lambda v: S.set_flag("hide_intermediate", v),
            ),
            direction="column",
            spacing="3",
        ),
    )


def _expert(expert: rx.Var, index: rx.Var) -> rx.Component:
    number = (index + 1).to_string()
    return rx.box(
        rx.flex(
            rx.heading("Эксперт " + number, as_="h3", size="3"),
            rx.button(
                "Удалить",
                id="remove-expert-" + index.to_string(),
                aria_label="Удалить мнение эксперта " + number,
                on_click=S.remove_expert(index),
                variant="soft",
                color_scheme="gray",
                size="1",
                type="button",
            ),
            justify="between",
            align="center",
        ),
        rx.flex(
            field(
                "Имя",
                text_input(
                    "expert-" + index.to_string() + "-name",
                    expert["name"],
                    lambda v: S.set_expert(index, "name", v),
                ),
                "expert-" + index.to_string() + "-name",
            ),
            field(
                "Должность",
                text_input(
                    "expert-" + index.to_string() + "-title",
                    expert["title"],
                    lambda v: S.set_expert(index, "title", v),
                ),
                "expert-" + index.to_string() + "-title",
            ),
            field(
                "Мнение",
                rx.text_area(
                    id="expert-" + index.to_string() + "-text",
                    value=expert["text"],
                    on_change=lambda v: S.set_expert(index, "text", v),
                    rows="3",
                ),
                "expert-" + index.to_string() + "-text",
            ),
            direction="column",
            spacing="2",
            margin_top="0.4em",
        ),
        padding="0.6em 0",
        border_bottom="1px solid var(--gray-4)",
    )


def _experts() -> rx.Component:
    return panel(
        "Мнения экспертов",
        rx.cond(
            S.experts.length() == 0, rx.text("Пока нет мнений экспертов.", color_scheme="gray", size="2")
        ),
        rx.foreach(S.experts, _expert),
        rx.button(
            rx.icon("plus"),
            "Добавить мнение эксперта",
            id="add-expert",
            on_click=S.add_expert,
            variant="soft",
            type="button",
            margin_top="0.6em",
        ),
    )


def poll_form() -> rx.Component:
    """The whole form with its alert region and the save button."""
    return rx.box(
        _basics(),
        _audience(),
        _timing(),
        _experts(),
        questions_section(),
        feedback(S.error, id_="poll-form-errors"),
        rx.flex(
            rx.button("Сохранить", id="save-poll", on_click=S.save, size="3", type="button"),
            rx.link("Отмена — к списку голосований", href="/staff/polls"),
            spacing="4",
            align="center",
            wrap="wrap",
        ),
        width="100%",
    )
