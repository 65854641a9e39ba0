"""The page frame: header with navigation, main content, footer. Works on phone-sized screens."""

import reflex as rx

from ag_app.services.award.rights import MANAGE as AWARD_MANAGE
from ag_app.services.contest.rights import MANAGE, MODERATE
from ag_app.services.promo.rights import MANAGE as PROMO_MANAGE
from ag_app.state.base import SessionState

# Dark brand red: white text on it has a contrast ratio above 7:1.
BRAND = "#a3231b"


def _nav_link(label: str | rx.Var, href: str, id_: str = "") -> rx.Component:
    extra = {"id": id_} if id_ else {}
    return rx.link(label, href=href, color="white", weight="medium", underline="hover", **extra)


def _holds(*roles: str) -> rx.Var:
    """Whether the logged-in user holds one of ``roles`` (an administrator holds them all)."""
    held = SessionState.roles.contains("admin")
    for role in roles:
        held = held | SessionState.roles.contains(role)
    return held


def _nav() -> rx.Component:
    return rx.el.nav(
        rx.flex(
            _nav_link("Голосования", "/polls", "nav-polls"),
            _nav_link("Новости", "/news", "nav-news"),
            _nav_link("Статистика", "/stats", "nav-stats"),
            _nav_link("Электронный дом", "/house", "nav-house"),
            _nav_link("Магазин", "/shop", "nav-shop"),
            _nav_link("Конкурс чеков", "/contest", "nav-contest"),
            _nav_link("Акция", "/promo", "nav-promo"),
            _nav_link("Премия", "/awards", "nav-awards"),
            rx.cond(
                SessionState.logged_in,
                rx.fragment(
                    _nav_link("Мои баллы", "/points", "nav-points"),
                    _nav_link("Профиль", "/profile", "nav-profile"),
                    _nav_link(
                        rx.cond(
                            SessionState.unread > 0,
                            f"Уведомления ({SessionState.unread})",
                            "Уведомления",
                        ),
                        "/notifications",
                        "nav-notifications",
                    ),
                    rx.cond(
                        SessionState.is_staff, _nav_link("Кабинет сотрудника", "/staff/polls", "nav-staff")
                    ),
                    rx.cond(
                        SessionState.is_staff, _nav_link("Показатели", "/staff/dashboard", "nav-dashboard")
                    ),
                    rx.cond(
                        SessionState.is_staff | SessionState.roles.contains("moderator"),
                        _nav_link("Голосования по домам", "/staff/renovation", "nav-staff-renovation"),
                    ),
                    # «Электронный дом»: the moderation queue of house polls (moderators, administrators).
                    rx.cond(
                        SessionState.roles.contains("moderator") | SessionState.roles.contains("admin"),
                        _nav_link("Модерация опросов дома", "/staff/house-polls", "nav-house-moderation"),
                    ),
                    rx.cond(
                        SessionState.is_staff,
                        _nav_link("Собрания (ОСС)", "/staff/meetings", "nav-staff-meetings"),
                    ),
                    rx.cond(
                        SessionState.is_staff,
                        _nav_link("Обращения граждан", "/staff/feedback", "nav-staff-feedback"),
                    ),
                    # The rewards shop: the catalogue for staff, the pickup desk for moderators.
                    rx.cond(
                        SessionState.is_staff,
                        _nav_link("Магазин (сотрудникам)", "/staff/shop", "nav-staff-shop"),
                        rx.cond(
                            SessionState.roles.contains("moderator"),
                            _nav_link("Магазин (сотрудникам)", "/staff/shop/desk", "nav-staff-shop"),
                        ),
                    ),
                    # «Конкурс чеков»: moderation for moderators and staff, management for staff.
                    rx.cond(
                        _holds(*MODERATE, *MANAGE),
                        _nav_link("Конкурс чеков: проверка", "/staff/contest", "nav-staff-contest"),
                    ),
                    rx.cond(
                        _holds(*MANAGE),
                        _nav_link(
                            "Конкурс чеков: управление", "/staff/contest/manage", "nav-staff-contest-manage"
                        ),
                    ),
                    rx.cond(
                        _holds(*MODERATE, *MANAGE),
                        _nav_link(
                            "Конкурс чеков: статистика", "/staff/contest/stats", "nav-staff-contest-stats"
                        ),
                    ),
                    # «#ВыбираемВместе»: configuration, draws and vote facts; the dashboard.
                    rx.cond(
                        _holds(*PROMO_MANAGE),
                        _nav_link("Акция: управление", "/staff/promo", "nav-staff-promo"),
                    ),
                    rx.cond(
                        _holds(*PROMO_MANAGE),
                        _nav_link("Акция: статистика", "/staff/promo/stats", "nav-staff-promo-stats"),
                    ),
                    # «Лидеры цифровой трансформации»: the contest and applications; the commission.
                    rx.cond(
                        _holds(*AWARD_MANAGE),
                        _nav_link("Премия: конкурс", "/staff/awards", "nav-staff-awards"),
                    ),
                    rx.cond(
                        _holds(*AWARD_MANAGE),
                        _nav_link(
                            "Премия: комиссия", "/staff/awards/commission", "nav-staff-award-commission"
                        ),
                    ),
                    rx.cond(
                        _holds(*AWARD_MANAGE),
                        _nav_link("Премия: выплаты", "/staff/awards/payouts", "nav-staff-award-payouts"),
                    ),
                    rx.button(
                        "Выйти",
                        on_click=SessionState.logout,
                        variant="surface",
                        color_scheme="gray",
                        size="2",
                        id="logout",
                    ),
                ),
                rx.link(
                    "Войти",
                    href="/login",
                    id="nav-login",
                    color="white",
                    weight="bold",
                    underline="always",
                ),
            ),
            spacing="4",
            wrap="wrap",
            align="center",
        ),
        aria_label="Основное меню",
    )


def header() -> rx.Component:
    """Top bar: brand, main sections, login/logout (wraps onto several lines on a phone)."""
    return rx.el.header(
        rx.link("Перейти к содержанию", href="#content", class_name="ag-skip-link"),
        rx.flex(
            rx.link(
                rx.text("Активный гражданин", size="5", weight="bold", color="white"),
                href="/",
                underline="none",
                aria_label="Активный гражданин — на главную",
            ),
            _nav(),
            justify="between",
            align="center",
            wrap="wrap",
            spacing="3",
            max_width="1100px",
            margin="0 auto",
            padding_x="1em",
        ),
        background=BRAND,
        padding_y="0.8em",
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
                "«Активный гражданин» — открытая платформа городских голосований. ",
                rx.link("Условия использования", href="/terms"),
                " · ",
                rx.link("Обратная связь", href="/feedback", id="footer-feedback"),
                size="2",
                color_scheme="gray",
            ),
            padding="1em",
            text_align="center",
        ),
        lang="ru",
        min_height="100vh",
    )
