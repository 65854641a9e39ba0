"""«Условия использования» — the short public offer a new user accepts at registration."""

import reflex as rx

from ag_app.components.common import section
from ag_app.components.layout import page_layout
from ag_app.i18n import label, message
from ag_app.state.base import SessionState

_CLAUSES = [
    (
        label("ui.terms.kto_mozhet_uchastvovat"),
        message("ui.terms.uchastnikom_stanovitsia_liuboi_chelovek_s"),
    ),
    (
        label("site.not_found_polls"),
        message("ui.terms.uchastnik_otvechaet_na_voprosy_golosovaniia"),
    ),
    (
        label("ui.common.bally"),
        message("ui.terms.za_uchastie_nachisliaiutsia_bally_po"),
    ),
    (
        label("ui.common.personal_nye_dannye"),
        message("ui.terms.telefon_fio_dokumenty_snils_i"),
    ),
    (
        label("ui.terms.pravila_povedeniia"),
        message("ui.terms.zapreshcheny_popytki_golosovat_za_drugikh"),
    ),
]


def terms_page() -> rx.Component:
    return page_layout(
        message("ui.terms.usloviia_ispol_zovaniia_oferta"),
        rx.text(
            message("ui.terms.registriruias_na_platforme_aktivnyi_grazhdanin"),
            as_="p",
        ),
        *[section(title, rx.text(text, as_="p")) for title, text in _CLAUSES],
    )


PAGES = [("/terms", terms_page, label("ui.terms.usloviia_ispol_zovaniia"), SessionState.refresh)]
