"""The page frame: header with the site menu, main content, footer. Phone first.

At every width the header is one row: the logo, the notifications bell (or «Войти» for a guest) and
the menu button. The menu opens as a drawer (a Radix dialog: focus moves into it, Tab stays inside,
Esc closes it and focus returns to the button) with the main links and, for staff, the section
«Кабинет сотрудника». Which links a visitor sees comes from the one map
(:data:`ag_app.domain.roles.MENU`) and the capabilities the server put in ``SessionState``.
"""

import reflex as rx
from reflex.experimental.client_state import ClientStateVar

from ag_app.domain.roles import MENU, Audience, Group, MenuItem
from ag_app.i18n import MESSAGES, label, message
from ag_app.state.base import SessionState

# Dark brand red: white text on it has a contrast ratio above 7:1.
BRAND = "#a3231b"
MENU_ID = "site-menu"
# Whether the drawer is open: browser-only state, so the menu opens at once even while the server
# is busy with the page's own events. Following a link closes it (a router link cancels the click's
# default action, which keeps Radix's own «close» from running).
MENU_OPEN = ClientStateVar.create("ag_site_menu_open", default=False)


def held(item: MenuItem) -> rx.Var:
    """Whether the logged-in visitor may see ``item`` (a Var of the page)."""
    if item.capabilities:
        shown = SessionState.capabilities.contains(item.capabilities[0].value)
        for capability in item.capabilities[1:]:
            shown = shown | SessionState.capabilities.contains(capability.value)
        return shown
    if item.audience is Audience.GUEST:
        return ~SessionState.logged_in
    if item.audience is Audience.CITIZEN:
        return SessionState.logged_in
    return rx.Var.create(True)


def _menu_link(item: MenuItem) -> rx.Component:
    """One link of the drawer; following it closes the drawer."""
    link = rx.el.li(
        rx.link(
            label(item.label_key),
            href=item.href,
            id=item.element_id,
            weight="medium",
            underline="hover",
            on_click=MENU_OPEN.set_value(False),
            style={"display": "block", "padding": "0.45em 0.2em"},
        ),
    )
    if item.capabilities or item.audience in (Audience.GUEST, Audience.CITIZEN):
        return rx.cond(held(item), link)
    return link


def _links(items: list[MenuItem]) -> rx.Component:
    return rx.el.ul(
        *[_menu_link(item) for item in items],
        style={"list_style": "none", "margin": "0", "padding": "0"},
    )


def _fill(key: str, value: rx.Var) -> rx.Var:
    """The catalogue text ``key`` (without its final full stop) with its one ``{…}`` placeholder
    filled by ``value``."""
    before, _, rest = MESSAGES[key].removesuffix(".").partition("{")
    after = rest.partition("}")[2]
    return rx.Var.create(before) + value.to_string() + rx.Var.create(after)


def _staff_section() -> rx.Component:
    """«Кабинет сотрудника»: the staff links the visitor's capabilities allow (nothing for residents)."""
    items = [item for item in MENU if item.group is Group.STAFF]
    any_held = held(items[0])
    for item in items[1:]:
        any_held = any_held | held(item)
    return rx.cond(
        SessionState.logged_in & any_held,
        rx.el.nav(
            rx.heading(
                label("menu.staff_group"), as_="h2", size="3", margin_top="1em", margin_bottom="0.3em"
            ),
            _links(items),
            aria_label=label("menu.staff_group"),
            id="menu-staff",
        ),
    )


def _drawer_content() -> rx.Component:
    main = [item for item in MENU if item.group is Group.MAIN]
    return rx.dialog.content(
        rx.flex(
            rx.dialog.title(label("menu.title"), size="4", margin="0", custom_attrs={"as": "h2"}),
            rx.dialog.close(
                rx.icon_button(
                    rx.icon("x", aria_hidden="true"),
                    variant="ghost",
                    color_scheme="gray",
                    size="3",
                    aria_label=label("menu.close"),
                    id="menu-close",
                ),
            ),
            justify="between",
            align="center",
            margin_bottom="0.5em",
        ),
        rx.dialog.description(
            rx.cond(
                SessionState.logged_in,
                _fill("menu.signed_in", SessionState.display_name),
                label("menu.guest"),
            ),
            size="2",
            color_scheme="gray",
            margin_bottom="0.5em",
        ),
        rx.el.nav(_links(main), aria_label=label("menu.main"), id="menu-main"),
        _staff_section(),
        rx.box(
            rx.cond(
                SessionState.logged_in,
                rx.dialog.close(
                    rx.button(
                        label("menu.logout"),
                        on_click=SessionState.logout,
                        variant="surface",
                        color_scheme="gray",
                        size="2",
                        id="logout",
                    ),
                ),
                rx.link(
                    label("menu.login"),
                    href=SessionState.login_href,
                    id="menu-login",
                    on_click=MENU_OPEN.set_value(False),
                ),
            ),
            margin_top="1em",
        ),
        id=MENU_ID,
        style={
            "position": "fixed",
            "top": "0",
            "right": "0",
            "left": "auto",
            "transform": "none",
            "margin": "0",
            "height": "100dvh",
            "max_height": "100dvh",
            "width": "min(22rem, 88vw)",
            "border_radius": "0",
            "overflow_y": "auto",
        },
    )


def _bell() -> rx.Component:
    """The notifications bell with the unread count; its accessible name says the count."""
    return rx.link(
        rx.icon("bell", size=22, aria_hidden="true"),
        rx.cond(
            SessionState.unread > 0,
            rx.el.span(
                SessionState.unread,
                aria_hidden="true",
                style={
                    "position": "absolute",
                    "top": "-0.2em",
                    "right": "-0.35em",
                    "min_width": "1.35em",
                    "padding": "0 0.3em",
                    "border_radius": "999px",
                    "background": "white",
                    "color": BRAND,
                    "font_size": "0.75em",
                    "font_weight": "700",
                    "line_height": "1.35em",
                    "text_align": "center",
                },
            ),
        ),
        href="/notifications",
        id="nav-bell",
        aria_label=rx.cond(
            SessionState.unread > 0,
            _fill("menu.bell_unread", SessionState.unread),
            label("menu.bell"),
        ),
        color="white",
        style={
            "position": "relative",
            "display": "inline-flex",
            "align_items": "center",
            "justify_content": "center",
            "width": "2.5rem",
            "height": "2.5rem",
        },
    )


def _menu() -> rx.Component:
    """The menu button and its drawer."""
    return rx.dialog.root(
        rx.dialog.trigger(
            rx.button(
                rx.icon("menu", size=20, aria_hidden="true"),
                label("menu.open"),
                variant="surface",
                color_scheme="gray",
                size="2",
                id="menu-button",
                aria_controls=MENU_ID,
                style={"background": "white"},
            ),
        ),
        _drawer_content(),
        open=MENU_OPEN.value,
        on_open_change=MENU_OPEN.set,
    )


def header() -> rx.Component:
    """One row at every width: the logo, the bell (or «Войти»), the menu button."""
    return rx.el.header(
        rx.link(label("menu.skip"), href="#content", class_name="ag-skip-link"),
        rx.flex(
            rx.link(
                rx.text(
                    label("ui.home.aktivnyi_grazhdanin"),
                    size={"initial": "4", "sm": "5"},
                    weight="bold",
                    color="white",
                    style={"white_space": "nowrap"},
                ),
                href="/",
                underline="none",
                aria_label=label("menu.home"),
                style={"min_width": "0", "overflow": "hidden", "text_overflow": "ellipsis"},
            ),
            rx.flex(
                rx.cond(
                    SessionState.logged_in,
                    _bell(),
                    rx.link(
                        label("menu.login"),
                        href=SessionState.login_href,
                        id="nav-login",
                        color="white",
                        weight="bold",
                        underline="always",
                    ),
                ),
                _menu(),
                spacing="3",
                align="center",
                flex_shrink="0",
            ),
            justify="between",
            align="center",
            wrap="nowrap",
            spacing="3",
            max_width="1100px",
            margin="0 auto",
            padding_x="1em",
        ),
        background=BRAND,
        padding_y="0.5em",
        id="site-header",
    )


def page_layout(title: str | rx.Var, *children: rx.Component) -> rx.Component:
    """A full page: header, an ``h1`` title and the content."""
    return rx.box(
        header(),
        rx.el.main(
            rx.heading(title, as_="h1", size="7", margin_bottom="0.6em"),
            *children,
            id="content",
            max_width="1100px",
            margin="0 auto",
            padding="1.2em 1em 3em",
        ),
        rx.el.footer(
            rx.text(
                message("ui.layout.aktivnyy_grazhdanin_otkrytaya_platforma_gorodski"),
                rx.link(label("ui.terms.usloviia_ispol_zovaniia"), href="/terms"),
                " · ",
                rx.link(label("ui.feedback.obratnaia_sviaz"), href="/feedback", id="footer-feedback"),
                size="2",
                color_scheme="gray",
            ),
            padding="1em",
            text_align="center",
        ),
        lang="ru",
        min_height="100vh",
    )
