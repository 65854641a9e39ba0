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
from ag_app.i18n import label, message
from ag_app.state.staff_poll_form import StaffPollFormState as S

SCOPES = [
    ("city", message("ui.poll_form.gorodskoe_vsya_moskva")),
    ("territorial", message("ui.poll_form.territorialnoe_okruga_rayony")),
]
LEVELS = [
    ("1", label("ui.poll_form.1_uproshchennyy")),
    ("2", label("ui.poll_form.2_standartnyy")),
    ("3", label("ui.poll_form.3_polnyy")),
]


def _basics() -> rx.Component:
    return panel(
        label("ui.poll_form.osnovnoe"),
        rx.flex(
            field(
                label("ui.common.nazvanie"),
                text_input("poll-title", S.title, lambda v: S.set_text("title", v), max_length=300),
                "poll-title",
            ),
            field(
                label("ui.poll_form.kratkoe_opisanie"),
                rx.text_area(
                    id="poll-summary", value=S.summary, on_change=lambda v: S.set_text("summary", v), rows="2"
                ),
                "poll-summary",
            ),
            field(
                message("ui.poll_form.tekst_podrobnee"),
                rx.text_area(
                    id="poll-details", value=S.details, on_change=lambda v: S.set_text("details", v), rows="6"
                ),
                "poll-details",
            ),
            field(
                message("ui.poll_form.ssylka_na_izobrazhenie_neobyazatelno"),
                text_input(
                    "poll-image",
                    S.image_url,
                    lambda v: S.set_text("image_url", v),
                    placeholder=label("ui.poll_form.https_ili_images"),
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
            okrug["name"] + " (" + okrug["abbrev"] + label("ui.poll_form.ves_okrug"),
            id="okrug-" + okrug["id"],
            checked=S.okrug_ids.contains(okrug["id"]),
            on_change=lambda checked: S.toggle_okrug(okrug["id"], checked),
        ),
        rx.el.details(
            rx.el.summary(
                label("ui.poll_form.rayony") + okrug["abbrev"],
                rx.cond(
                    S.district_counts[index] > 0,
                    label("ui.poll_form.vybrano") + S.district_counts[index].to_string() + ")",
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
        label("ui.poll_form.territoriya_i_uchastniki"),
        rx.flex(
            field(
                label("ui.polls.territoriia"),
                static_select(
                    "poll-scope", SCOPES, value=S.scope, on_change=lambda v: S.set_text("scope", v)
                ),
                "poll-scope",
            ),
            rx.cond(
                S.scope == "territorial",
                rx.el.fieldset(
                    rx.el.legend(
                        label("ui.poll_form.okruga_i_rayony_golosovaniya"), style={"font_weight": "500"}
                    ),
                    rx.text(
                        message("ui.poll_form.otmette_okrug_tselikom_ili_raskroyte"),
                        size="1",
                        color_scheme="gray",
                    ),
                    rx.foreach(S.okrugs, _okrug_group),
                    rx.text(
                        rx.text.strong(label("ui.poll_form.vybrano_2")),
                        rx.cond(S.territory_text != "", S.territory_text, label("ui.poll_form.nichego")),
                        size="2",
                        id="poll-territory-chosen",
                    ),
                    id="poll-territory",
                    style={"border": "1px solid var(--gray-5)", "padding": "0.6em", "border_radius": "6px"},
                ),
            ),
            rx.checkbox(
                message("ui.poll_form.uchityvat_takzhe_adres_raboty_adresa"),
                id="poll-include-work",
                checked=S.include_work,
                on_change=lambda v: S.set_flag("include_work", v),
            ),
            field(
                label("ui.poll_form.minimalnyy_uroven_identifikatsii"),
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
                    label("ui.poll_form.tolko_dlya_roditeley_detey_v"), style={"font_weight": "500"}
                ),
                rx.flex(
                    field(
                        label("ui.poll_form.ot"),
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
                        label("ui.poll_form.do"),
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
        label("ui.poll_form.sroki_i_bally"),
        rx.flex(
            rx.flex(
                field(
                    message("ui.poll_form.nachalo_moskovskoe_vremya"),
                    text_input(
                        "poll-starts", S.starts, lambda v: S.set_text("starts", v), type="datetime-local"
                    ),
                    "poll-starts",
                ),
                field(
                    message("ui.poll_form.okonchanie_moskovskoe_vremya"),
                    text_input("poll-ends", S.ends, lambda v: S.set_text("ends", v), type="datetime-local"),
                    "poll-ends",
                ),
                spacing="3",
                wrap="wrap",
                direction=rx.breakpoints(initial="column", sm="row"),
            ),
            field(
                label("ui.poll_form.bally_za_uchastie"),
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
                hint=message("ui.poll_form.pusto_po_umolchaniyu_20_za"),
            ),
            rx.checkbox(
                label("ui.poll_form.skryvat_promezhutochnye_rezultaty_do_publikatsii"),
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
            rx.heading(label("ui.poll_form.ekspert") + number, as_="h3", size="3"),
            rx.button(
                label("ui.common.udalit"),
                id="remove-expert-" + index.to_string(),
                aria_label=label("ui.poll_form.udalit_mnenie_eksperta") + number,
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
                label("ui.common.imia"),
                text_input(
                    "expert-" + index.to_string() + "-name",
                    expert["name"],
                    lambda v: S.set_expert(index, "name", v),
                ),
                "expert-" + index.to_string() + "-name",
            ),
            field(
                label("ui.poll_form.dolzhnost"),
                text_input(
                    "expert-" + index.to_string() + "-title",
                    expert["title"],
                    lambda v: S.set_expert(index, "title", v),
                ),
                "expert-" + index.to_string() + "-title",
            ),
            field(
                label("ui.poll_form.mnenie"),
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
        label("ui.poll.mneniia_ekspertov"),
        rx.cond(
            S.experts.length() == 0,
            rx.text(message("ui.poll_form.poka_net_mneniy_ekspertov"), color_scheme="gray", size="2"),
        ),
        rx.foreach(S.experts, _expert),
        rx.button(
            rx.icon("plus"),
            label("ui.poll_form.dobavit_mnenie_eksperta"),
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
            rx.button(label("ui.common.sokhranit"), id="save-poll", on_click=S.save, size="3", type="button"),
            rx.link(label("ui.poll_form.otmena_k_spisku_golosovaniy"), href="/staff/polls"),
            spacing="4",
            align="center",
            wrap="wrap",
        ),
        width="100%",
    )
