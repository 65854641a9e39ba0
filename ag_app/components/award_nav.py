"""The links between the pages of the award contest «Лидеры цифровой трансформации».

Jurors are not a role but people on a contest's commission, so «Комиссия» and «Утверждение итогов»
are offered to everyone and the pages themselves say when the visitor has nothing there.
"""

import reflex as rx

AWARD_PAGES = (
    ("Конкурс", "/awards", "nav-award-contest"),
    ("Моя команда", "/awards/team", "nav-award-team"),
    ("Итоги премии", "/awards/results", "nav-award-results"),
    ("Моя премия", "/awards/prize", "nav-award-prize"),
    ("Комиссия", "/awards/jury", "nav-award-jury"),
    ("Утверждение итогов (председателю комиссии)", "/awards/approval", "nav-award-approval"),
)


def award_nav() -> rx.Component:
    """The award pages as one wrapped row of links (a landmark of its own)."""
    return rx.el.nav(
        rx.flex(
            *[rx.link(label, href=href, id=id_) for label, href, id_ in AWARD_PAGES],
            spacing="4",
            wrap="wrap",
        ),
        aria_label="Разделы премии",
        style={"margin_bottom": "1em"},
    )
