"""Pages: each module defines its page functions; :func:`register_pages` adds them to the app."""

import reflex as rx

from ag_app.i18n import label


def register_pages(app: rx.App) -> None:
    """Add every page of the platform to ``app`` (each page module exposes ``PAGES``)."""
    from ag_app.pages import (
        confirm_email,
        home,
        house,
        login,
        meetings,
        news,
        notifications,
        opendata,
        outbox,
        points,
        poll,
        polls,
        profile,
        renovation,
        staff_dashboard,
        staff_houses,
        staff_meetings,
        staff_polls,
        staff_registry,
        staff_renovation,
        staff_shop,
        stats,
        terms,
    )

    modules = (home, login, outbox, terms, confirm_email, profile, polls, poll, points, news, notifications)
    # Open data and statistics of polls.
    modules += (opendata, stats)
    # Staff pages.
    modules += (staff_polls, staff_registry, staff_dashboard)
    # The renovation-type house vote.
    modules += (renovation, staff_renovation)
    # «Электронный дом»: the house registry, «Мой дом».
    modules += (house, staff_houses)
    # «Электронный дом»: house polls and informings (resident, initiator and moderator pages).
    from ag_app.pages import house_polls

    modules += (house_polls,)
    # «Электронный дом»: owners' meetings.
    modules += (meetings, staff_meetings)
    # Subscriptions, the unsubscribe link and feedback tickets.
    from ag_app.pages import feedback, subscriptions

    modules += (subscriptions, feedback)
    # The rewards shop: the staff catalogue, orders, report and the pickup desk.
    modules += (staff_shop,)
    # «Магазин поощрений» for residents: the catalogue, «История заказов», the certificate page.
    from ag_app.pages import shop

    modules += (shop,)
    # «Фоновые задачи»: the status of the background jobs (staff).
    from ag_app.pages import staff_jobs

    modules += (staff_jobs,)
    # «Конкурс чеков» «Любимый город»: the live rating, the rules and «Мои чеки».
    from ag_app.pages import contest

    modules += (contest,)
    # «Конкурс чеков»: «Итоги конкурсов» (winners and seals) and «Мои призы» (claims).
    from ag_app.pages import contest_results

    modules += (contest_results,)
    # «Конкурс чеков»: the staff pages (moderation and audit trail, contests and prizes, statistics).
    from ag_app.pages import staff_contest, staff_contest_manage

    modules += (staff_contest, staff_contest_manage)
    # «#ВыбираемВместе»: the promo campaign's staff dashboard.
    from ag_app.pages import staff_promo_stats

    modules += (staff_promo_stats,)

    # Promo campaign «#ВыбираемВместе»: «Акция: управление» (configuration, draws, vote file) for staff.
    from ag_app.pages import staff_promo

    modules += (staff_promo,)
    # «#ВыбираемВместе»: «Акция», the citizen's promo status page, and «Обменять баллы».
    from ag_app.pages import promo, promo_exchange

    modules += (promo, promo_exchange)
    # «Лидеры цифровой трансформации»: «Комиссия» (score sheets, recusals, tie votes) and the operator's
    # «Премия: комиссия» (members, groups, sittings, computing results).
    from ag_app.pages import award_jury, staff_award_commission

    modules += (award_jury, staff_award_commission)

    # «Лидеры цифровой трансформации»: «Премия», «Моя команда» and the operator's «Премия: конкурс».
    from ag_app.pages import award, staff_award

    modules += (award, staff_award)

    # «Лидеры цифровой трансформации»: «Итоги премии», «Моя премия», «Утверждение итогов», «Премия: выплаты».
    from ag_app.pages import award_results

    modules += (award_results,)
    # Any unknown address: the Russian «Страница не найдена» inside the site (Reflex's "404" route).
    from ag_app.pages import not_found

    modules += (not_found,)
    for module in modules:
        for route, page, title, on_load in module.PAGES:
            app.add_page(
                page, route=route, title=label("ui.pages.aktivnyi_grazhdanin", title=title), on_load=on_load
            )
