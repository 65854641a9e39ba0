"""The links between the pages of the award contest «Лидеры цифровой трансформации».

Jurors are not a role but people on a contest's commission, so «Комиссия» and «Утверждение итогов»
are offered to everyone and the pages themselves say when the visitor has nothing there.
"""

import reflex as rx

from ag_app import i18n

AWARD_PAGES = (
    (i18n.label("ui.common.konkurs"), "/awards", "nav-award-contest"),
    (i18n.label("ui.common.moia_komanda"), "/awards/team", "nav-award-team"),
    (i18n.label("ui.common.itogi_premii"), "/awards/results", "nav-award-results"),
    (i18n.label("ui.common.moia_premiia"), "/awards/prize", "nav-award-prize"),
    (i18n.label("ui.common.komissiia"), "/awards/jury", "nav-award-jury"),
    (
        i18n.message("ui.award_nav.utverzhdenie_itogov_predsedateliu_komissii"),
        "/awards/approval",
        "nav-award-approval",
    ),
)


def award_nav() -> rx.Component:
    """The award pages as one wrapped row of links (a landmark of its own)."""
    return rx.el.nav(
        rx.flex(
            *[rx.link(label, href=href, id=id_) for label, href, id_ in AWARD_PAGES],
            spacing="4",
            wrap="wrap",
        ),
        aria_label=i18n.label("ui.award_nav.razdely_premii"),
        style={"margin_bottom": "1em"},
    )
