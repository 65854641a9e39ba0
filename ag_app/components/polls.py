"""Poll cards, past-poll answers and result bars."""

import reflex as rx

from ag_app.i18n import label


def poll_card(row: rx.Var, level: str = "h3") -> rx.Component:
    """A card of a poll summary linking to its page (``row`` is a dict of strings)."""
    return rx.card(
        rx.flex(
            rx.cond(
                row["image_url"] != "",
                rx.image(
                    src=row["image_url"],
                    alt="",
                    width="100%",
                    max_height="160px",
                    object_fit="cover",
                    border_radius="6px",
                ),
            ),
            rx.flex(
                rx.badge(row["scope"], variant="soft", color_scheme="gray"),
                rx.badge(row["points"], variant="soft", color_scheme="green"),
                rx.cond(
                    row["voted"] != "",
                    rx.badge(label("ui.polls.vy_progolosovali_2"), variant="soft", color_scheme="blue"),
                ),
                spacing="2",
                wrap="wrap",
            ),
            rx.heading(
                rx.link(row["title"], href=row["href"], underline="hover", color="inherit"),
                as_=level,
                size="4",
            ),
            rx.cond(row["summary"] != "", rx.text(row["summary"], as_="p", size="2")),
            rx.text(row["territory"], " · ", row["period"], size="2", color_scheme="gray", as_="p"),
            rx.text(row["ballots"], size="2", color_scheme="gray", as_="p"),
            direction="column",
            spacing="2",
        ),
        width="100%",
        class_name="poll-card",
    )


def poll_grid(rows: rx.Var, level: str = "h3") -> rx.Component:
    """Poll cards in one column on a phone, two or three on wider screens."""
    return rx.grid(
        rx.foreach(rows, lambda row: poll_card(row, level)),
        columns=rx.breakpoints(initial="1", sm="2", md="3"),
        spacing="3",
        width="100%",
    )


def _past_option(option: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.cond(
            option.chosen,
            rx.text.strong(option.text, label("ui.polls.vash_otvet")),
            rx.text(option.text),
        ),
    )


def _past_question(question: rx.Var) -> rx.Component:
    return rx.box(
        rx.text(question.text, as_="p", weight="medium", margin_top="0.5em"),
        rx.el.ul(rx.foreach(question.options, _past_option), style={"margin": "0.2em 0 0 1.2em"}),
        rx.cond(
            question.own_text != "",
            rx.text(label("ui.polls.svoi_variant"), rx.text.strong(question.own_text), as_="p", size="2"),
        ),
    )


def past_poll_card(row: rx.Var, level: str = "h3") -> rx.Component:
    """A poll the user completed, every question with the user's answers in bold."""
    return rx.card(
        rx.heading(rx.link(row.title, href=row.href, color="inherit"), as_=level, size="4"),
        rx.text(row.completed, " · ", row.points, size="2", color_scheme="gray", as_="p"),
        rx.text(
            label("ui.polls.kod_kvitantsii"),
            rx.code(row.receipt, class_name="receipt-code"),
            rx.cond(
                row.open_data_href != "",
                rx.fragment(
                    " · ", rx.link(label("ui.polls.proverit_svoi_golos_v_otkrytykh"), href=row.open_data_href)
                ),
            ),
            size="2",
            as_="p",
            margin_top="0.3em",
        ),
        rx.el.details(
            rx.el.summary(label("ui.polls.moi_otvety"), style={"cursor": "pointer", "marginTop": "0.4em"}),
            rx.foreach(row.questions, _past_question),
        ),
        width="100%",
        class_name="past-poll",
    )


def _bar(percent_width: rx.Var, color: str = "var(--accent-9)") -> rx.Component:
    return rx.box(
        rx.box(width=percent_width, height="100%", background=color, border_radius="4px"),
        width="100%",
        height="10px",
        background="var(--gray-4)",
        border_radius="4px",
        aria_hidden="true",
    )


def _result_option(option: rx.Var, final: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.flex(
            rx.text(option.text),
            rx.text(option.percent, " (", option.count, ")", weight="bold", white_space="nowrap"),
            justify="between",
            spacing="3",
        ),
        _bar(option.width),
        rx.cond(
            final,
            rx.text(
                label("ui.polls.moskovskie_nomera_2"),
                option.moscow,
                label("ui.polls.nemoskovskie_nomera"),
                option.other,
                size="1",
                color_scheme="gray",
                as_="p",
            ),
        ),
        margin_y="0.5em",
        list_style="none",
    )


def _result_question(question: rx.Var, final: rx.Var) -> rx.Component:
    return rx.box(
        rx.heading(question.text, as_="h3", size="3", margin_top="1em"),
        rx.text(question.answered, size="1", color_scheme="gray", as_="p"),
        rx.el.ul(
            rx.foreach(question.options, lambda option: _result_option(option, final)),
            style={"padding": "0", "margin": "0"},
        ),
        rx.cond(
            question.own_texts.length() > 0,
            rx.el.details(
                rx.el.summary(label("ui.polls.svoi_varianty_uchastnikov"), style={"cursor": "pointer"}),
                rx.el.ul(rx.foreach(question.own_texts, lambda text: rx.el.li(rx.text(text)))),
            ),
        ),
    )


def results_view(questions: rx.Var, final: rx.Var, caption: rx.Var) -> rx.Component:
    """Results of every question as labelled bars (split by number region when final)."""
    return rx.box(
        rx.text(caption, as_="p", size="2", color_scheme="gray"),
        rx.foreach(questions, lambda question: _result_question(question, final)),
        id="poll-results",
    )
