"""The staff poll form: every field of SPEC §2.1, ordered questions and ordered options.

Stable element ids (for tests): ``poll-title``, ``poll-summary``, ``poll-details``, ``poll-image``,
``poll-scope``, ``okrug-<id>``, ``okrug-<id>-districts`` (a ``<details>``: open it to reach its
districts), ``district-<id>``, ``poll-include-work``, ``poll-min-level``,
``poll-age-min``, ``poll-age-max``, ``poll-starts``, ``poll-ends``, ``poll-points``,
``poll-hide-intermediate``, ``add-expert``, ``expert-<i>-name|title|text``, ``remove-expert-<i>``,
``add-question``, ``question-<i>-text|kind|max``, ``question-<i>-up|down``, ``remove-question-<i>``,
``option-<i>-<j>-text|own|exclusive``, ``option-<i>-<j>-up|down``, ``remove-option-<i>-<j>``,
``add-option-<i>``, ``add-hard-<i>``, ``add-nointerest-<i>``, ``add-own-<i>``, ``save-poll``
(``<i>``/``<j>`` count from 0).
"""

import reflex as rx

from ag_app.components.common import feedback, field, panel, static_select
from ag_app.state.staff_poll_form import StaffPollFormState as S

SCOPES = [("city", "Городское (вся Москва)"), ("territorial", "Территориальное (округа, районы)")]
LEVELS = [("1", "1 — упрощённый"), ("2", "2 — стандартный"), ("3", "3 — полный")]
KINDS = [("single", "Один вариант"), ("multiple", "Несколько вариантов")]


def _invalid(name: str | rx.Var) -> rx.Var:
    """«true» for a field the last refused save named (screen readers announce it; styles mark it)."""
    return rx.cond(S.invalid_fields.contains(name), "true", "false")


def _text_input(id: str | rx.Var, value: rx.Var, on_change, **props) -> rx.Component:
    name = None
    if isinstance(id, str) and id.startswith("poll-"):
        name = "image_url" if id == "poll-image" else id[len("poll-") :].replace("-", "_")
    if name is not None:
        props.setdefault("aria_invalid", _invalid(name))
        props.setdefault("color_scheme", rx.cond(S.invalid_fields.contains(name), "red", "gray"))
    return rx.input(id=id, value=value, on_change=on_change, width="100%", **props)


def _basics() -> rx.Component:
    return panel(
        "Основное",
        rx.flex(
            field(
                "Название",
                _text_input("poll-title", S.title, lambda v: S.set_text("title", v), max_length=300),
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
                _text_input(
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
                        _text_input(
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
                        _text_input(
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
                    _text_input(
                        "poll-starts", S.starts, lambda v: S.set_text("starts", v), type="datetime-local"
                    ),
                    "poll-starts",
                ),
                field(
                    "Окончание (московское время)",
                    _text_input("poll-ends", S.ends, lambda v: S.set_text("ends", v), type="datetime-local"),
                    "poll-ends",
                ),
                spacing="3",
                wrap="wrap",
                direction=rx.breakpoints(initial="column", sm="row"),
            ),
            field(
                "Баллы за участие",
                _text_input(
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
                _text_input(
                    "expert-" + index.to_string() + "-name",
                    expert["name"],
                    lambda v: S.set_expert(index, "name", v),
                ),
                "expert-" + index.to_string() + "-name",
            ),
            field(
                "Должность",
                _text_input(
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


def _small_button(icon: str, label: rx.Var | str, id: rx.Var | str, on_click, disabled=False) -> rx.Component:
    return rx.icon_button(
        rx.icon(icon, size=16),
        aria_label=label,
        title=label,
        id=id,
        on_click=on_click,
        variant="soft",
        color_scheme="gray",
        size="2",
        type="button",
        disabled=disabled,
    )


def _option(q_index: rx.Var, option: rx.Var, o_index: rx.Var, count: rx.Var) -> rx.Component:
    prefix = "option-" + q_index.to_string() + "-" + o_index.to_string()
    number = (o_index + 1).to_string()
    return rx.flex(
        rx.flex(
            rx.el.label("Вариант " + number, html_for=prefix + "-text", style={"white_space": "nowrap"}),
            _text_input(prefix + "-text", option["text"], lambda v: S.set_option_text(q_index, o_index, v)),
            align="center",
            spacing="2",
            flex="1 1 16em",
        ),
        rx.flex(
            rx.checkbox(
                "Свой вариант",
                id=prefix + "-own",
                checked=option["own"] != "",
                on_change=lambda v: S.set_option_flag(q_index, o_index, "own", v),
            ),
            rx.checkbox(
                "Исключающий",
                id=prefix + "-exclusive",
                checked=option["exclusive"] != "",
                on_change=lambda v: S.set_option_flag(q_index, o_index, "exclusive", v),
            ),
            _small_button(
                "arrow-up",
                "Поднять вариант " + number,
                prefix + "-up",
                S.move_option(q_index, o_index, -1),
                o_index == 0,
            ),
            _small_button(
                "arrow-down",
                "Опустить вариант " + number,
                prefix + "-down",
                S.move_option(q_index, o_index, 1),
                o_index == count - 1,
            ),
            _small_button(
                "trash-2",
                "Удалить вариант " + number,
                "remove-option-" + q_index.to_string() + "-" + o_index.to_string(),
                S.remove_option(q_index, o_index),
            ),
            align="center",
            spacing="3",
            wrap="wrap",
        ),
        spacing="2",
        wrap="wrap",
        align="center",
        padding="0.3em 0",
    )


def _question(question: rx.Var, index: rx.Var) -> rx.Component:
    i = index.to_string()
    number = (index + 1).to_string()
    opts = S.options[index]
    return rx.box(
        rx.flex(
            rx.heading("Вопрос " + number, as_="h3", size="4"),
            rx.flex(
                _small_button(
                    "arrow-up",
                    "Поднять вопрос " + number,
                    "question-" + i + "-up",
                    S.move_question(index, -1),
                    index == 0,
                ),
                _small_button(
                    "arrow-down",
                    "Опустить вопрос " + number,
                    "question-" + i + "-down",
                    S.move_question(index, 1),
                    index == S.questions.length() - 1,
                ),
                rx.button(
                    "Удалить вопрос",
                    id="remove-question-" + i,
                    aria_label="Удалить вопрос " + number,
                    on_click=S.remove_question(index),
                    variant="soft",
                    color_scheme="gray",
                    type="button",
                ),
                spacing="2",
            ),
            justify="between",
            align="center",
            wrap="wrap",
            spacing="2",
        ),
        rx.flex(
            field(
                "Текст вопроса",
                rx.text_area(
                    id="question-" + i + "-text",
                    value=question["text"],
                    on_change=lambda v: S.set_question(index, "text", v),
                    rows="2",
                ),
                "question-" + i + "-text",
            ),
            rx.flex(
                field(
                    "Тип ответа",
                    static_select(
                        "question-" + i + "-kind",
                        KINDS,
                        value=question["kind"],
                        on_change=lambda v: S.set_question(index, "kind", v),
                    ),
                    "question-" + i + "-kind",
                ),
                rx.cond(
                    question["kind"] == "multiple",
                    field(
                        "Не больше вариантов",
                        _text_input(
                            "question-" + i + "-max",
                            question["max_choices"],
                            lambda v: S.set_question(index, "max_choices", v),
                            type="number",
                            min=1,
                        ),
                        "question-" + i + "-max",
                    ),
                ),
                spacing="3",
                wrap="wrap",
                direction=rx.breakpoints(initial="column", sm="row"),
            ),
            rx.heading("Варианты ответа", as_="h4", size="3", margin_top="0.4em"),
            rx.text(
                "«Свой вариант» — поле для ответа своими словами (до 500 символов). "
                "«Исключающий» — нельзя выбрать вместе с другими (например, «Затрудняюсь ответить»).",
                size="1",
                color_scheme="gray",
            ),
            rx.foreach(opts, lambda option, j: _option(index, option, j, opts.length())),
            rx.flex(
                rx.button(
                    rx.icon("plus"),
                    "Вариант",
                    id="add-option-" + i,
                    on_click=S.add_option(index),
                    variant="soft",
                    type="button",
                ),
                rx.button(
                    "+ Затрудняюсь ответить",
                    id="add-hard-" + i,
                    on_click=S.add_preset(index, "hard"),
                    variant="outline",
                    type="button",
                ),
                rx.button(
                    "+ Мне не интересно",
                    id="add-nointerest-" + i,
                    on_click=S.add_preset(index, "nointerest"),
                    variant="outline",
                    type="button",
                ),
                rx.button(
                    "+ Свой вариант",
                    id="add-own-" + i,
                    on_click=S.add_preset(index, "own"),
                    variant="outline",
                    type="button",
                ),
                spacing="2",
                wrap="wrap",
            ),
            direction="column",
            spacing="2",
            margin_top="0.4em",
        ),
        padding="0.8em 0",
        border_bottom="1px solid var(--gray-5)",
        # A question named by the last refused save gets a red bar at its side.
        border_left=rx.cond(
            S.invalid_fields.contains("question-" + number), "4px solid var(--red-9)", "4px solid transparent"
        ),
        padding_left="0.6em",
        data_invalid=_invalid("question-" + number),
    )


def _questions() -> rx.Component:
    return panel(
        "Вопросы",
        rx.foreach(S.questions, _question),
        rx.button(
            rx.icon("plus"),
            "Добавить вопрос",
            id="add-question",
            on_click=S.add_question,
            type="button",
            margin_top="0.8em",
        ),
    )


def poll_form() -> rx.Component:
    """The whole form with its alert region and the save button."""
    return rx.box(
        _basics(),
        _audience(),
        _timing(),
        _experts(),
        _questions(),
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
