"""News items."""

import reflex as rx

from ag_app.i18n import label


def news_item(row: rx.Var, level: str = "h2") -> rx.Component:
    """A news card: kind, date, title (linking to its poll) and text."""
    return rx.card(
        rx.flex(
            rx.badge(row["kind"], variant="soft"),
            rx.text(row["date"], size="2", color_scheme="gray"),
            spacing="2",
            align="center",
        ),
        rx.heading(
            rx.cond(
                row["href"] != "", rx.link(row["title"], href=row["href"], color="inherit"), row["title"]
            ),
            as_=level,
            size="4",
            margin_top="0.4em",
        ),
        rx.cond(
            row["body"] != "",
            rx.text(row["body"], as_="p", white_space="pre-wrap", size="2", margin_top="0.4em"),
        ),
        rx.cond(
            row["href"] != "", rx.link(label("ui.news.pereiti_k_golosovaniiu"), href=row["href"], size="2")
        ),
        width="100%",
        class_name="news-item",
    )
