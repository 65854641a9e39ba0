"""Pages: each module defines its page functions; :func:`register_pages` adds them to the app."""

import reflex as rx

from ag_app.i18n import label


def register_pages(app: rx.App) -> None:
    """Add every page of the platform to ``app`` (each page module exposes ``PAGES``)."""
    from ag_app.pages import (
        award,
        award_jury,
        award_results,
        confirm_email,
        contest,
        contest_results,
        feedback,
        home,
        house,
        house_polls,
        login,
        meetings,
        news,
        not_found,
        notifications,
        opendata,
        outbox,
        points,
        poll,
        polls,
        profile,
        promo,
        promo_exchange,
        renovation,
        shop,
        staff_award,
        staff_award_commission,
        staff_contest,
        staff_contest_manage,
        staff_dashboard,
        staff_houses,
        staff_jobs,
        staff_meetings,
        staff_polls,
        staff_promo,
        staff_promo_stats,
        staff_registry,
        staff_renovation,
        staff_shop,
        stats,
        subscriptions,
        terms,
    )

    # The one list of page modules, by context (the order pages are added in).
    modules = (
        # The site, signing in, the profile, polls, points, news and notifications.
        *(home, login, outbox, terms, confirm_email, profile, polls, poll, points, news, notifications),
        # Open data and statistics of polls.
        *(opendata, stats),
        # Staff pages of polls, registries and the dashboard.
        *(staff_polls, staff_registry, staff_dashboard),
        # The renovation-type house vote.
        *(renovation, staff_renovation),
        # «Электронный дом»: the house registry, «Мой дом».
        *(house, staff_houses),
        # «Электронный дом»: house polls and informings (resident, initiator and moderator pages).
        house_polls,
        # «Электронный дом»: owners' meetings.
        *(meetings, staff_meetings),
        # Subscriptions, the unsubscribe link and feedback tickets.
        *(subscriptions, feedback),
        # The rewards shop: the staff catalogue, orders, report and the pickup desk.
        staff_shop,
        # «Магазин поощрений» for residents: the catalogue, «История заказов», the certificate page.
        shop,
        # «Фоновые задачи»: the status of the background jobs (staff).
        staff_jobs,
        # «Конкурс чеков» «Любимый город»: the live rating, the rules and «Мои чеки»; «Итоги конкурсов»
        # (winners and seals) and «Мои призы» (claims); the staff pages (moderation and audit trail,
        # contests and prizes, statistics).
        *(contest, contest_results, staff_contest, staff_contest_manage),
        # «#ВыбираемВместе»: the staff dashboard, «Акция: управление» (configuration, draws, vote file),
        # «Акция», the citizen's promo status page, and «Обменять баллы».
        *(staff_promo_stats, staff_promo, promo, promo_exchange),
        # «Лидеры цифровой трансформации»: «Комиссия» (score sheets, recusals, tie votes), the operator's
        # «Премия: комиссия»; «Премия», «Моя команда», «Премия: конкурс»; «Итоги премии», «Моя премия»,
        # «Утверждение итогов», «Премия: выплаты».
        *(award_jury, staff_award_commission, award, staff_award, award_results),
        # Any unknown address: the Russian «Страница не найдена» inside the site (Reflex's "404" route).
        not_found,
    )
    for module in modules:
        for route, page, title, on_load in module.PAGES:
            app.add_page(
                page, route=route, title=label("ui.pages.aktivnyi_grazhdanin", title=title), on_load=on_load
            )
