"""The one map of rights: which staff role holds which capability, and which menu links each sees.

Services check a capability (``services.access.require``), never a role string; the menu and the
staff pages' sub-navigation show a link only to holders of the capability its page checks. The map
is what the services enforced before it existed: an administrator holds every role capability;
«staff» runs polls, registries, meetings, renovation votes, the shop, the contests, the promo
campaign and the award; a «moderator» moderates house polls, renovation-vote evidence and receipts
and hands out shop orders. The house registry is the administrator's alone.

Two capabilities are not held through a role but through a seat on an award commission
(:data:`MEMBERSHIP_CAPABILITIES`): a juror sees «Комиссия», the member who may hold the chair's
powers (chair or deputy) also «Утверждение итогов».
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """The staff roles stored in ``UserRole.role``; a resident holds none."""

    MODERATOR = "moderator"
    STAFF = "staff"
    ADMIN = "admin"


# Every staff role: their holders run the receipt contest and so cannot take part in it (SPEC §11.5).
STAFF_ROLES = frozenset(Role)


class Capability(StrEnum):
    """What a user may do beyond a resident's rights."""

    POLLS_MANAGE = "polls_manage"  # city polls: create, publish, close, results, decisions; see drafts
    REGISTRY_IMPORT = "registry_import"  # «Реестры (импорт CSV)»: addresses and property registries
    REGISTRY_ADMIN = "registry_admin"  # «Реестр домов»: houses, premises, organisations
    DASHBOARD = "dashboard"  # «Показатели»
    JOBS = "jobs"  # «Фоновые задачи»
    FEEDBACK_ANSWER = "feedback_answer"  # «Обращения граждан»: read every ticket, answer, close
    MEETINGS_MANAGE = "meetings_manage"  # owners' meetings (ОСС) held on the platform
    RENOVATION_MANAGE = "renovation_manage"  # renovation-type house votes: create, verify, publish
    RENOVATION_MODERATE = "renovation_moderate"  # renovation votes: review owners' evidence
    HOUSE_POLLS_MODERATE = "house_polls_moderate"  # «Электронный дом»: the house-poll queue
    SHOP_MANAGE = "shop_manage"  # rewards shop: catalogue, orders, report
    SHOP_DESK = "shop_desk"  # rewards shop: the pickup desk
    CONTEST_MODERATE = "contest_moderate"  # receipt contest: fraud queue, decisions, sellers
    CONTEST_REVIEW = "contest_review"  # receipt contest: statistics, audit trail, evidence
    CONTEST_MANAGE = "contest_manage"  # receipt contest: contests, seller registry, finalising, prizes
    PROMO_MANAGE = "promo_manage"  # «#ВыбираемВместе»: configuration, votes, draws, dashboard
    AWARD_MANAGE = "award_manage"  # award: contests, applications, commission, payouts
    OUTBOX_READ = "outbox_read"  # demo outbox: every message, not only one phone's
    AWARD_JURY = "award_jury"  # a seat on an award commission (not a role)
    AWARD_APPROVE = "award_approve"  # chair or deputy of an award commission (not a role)


C = Capability
_MODERATOR, _STAFF = frozenset({Role.MODERATOR}), frozenset({Role.STAFF})

# Capability → the roles holding it besides the administrator (who holds every one of these).
HOLDERS: dict[Capability, frozenset[Role]] = {
    C.POLLS_MANAGE: _STAFF,
    C.REGISTRY_IMPORT: _STAFF,
    C.REGISTRY_ADMIN: frozenset(),
    C.DASHBOARD: _STAFF,
    C.JOBS: _STAFF,
    C.FEEDBACK_ANSWER: _STAFF,
    C.MEETINGS_MANAGE: _STAFF,
    C.RENOVATION_MANAGE: _STAFF,
    C.RENOVATION_MODERATE: _MODERATOR,
    C.HOUSE_POLLS_MODERATE: _MODERATOR,
    C.SHOP_MANAGE: _STAFF,
    C.SHOP_DESK: _MODERATOR | _STAFF,
    C.CONTEST_MODERATE: _MODERATOR,
    C.CONTEST_REVIEW: _MODERATOR | _STAFF,
    C.CONTEST_MANAGE: _STAFF,
    C.PROMO_MANAGE: _STAFF,
    C.AWARD_MANAGE: _STAFF,
    C.OUTBOX_READ: _MODERATOR | _STAFF,
}

# Held through a seat on an award commission, not through a role (``services.access.capabilities_of``).
MEMBERSHIP_CAPABILITIES = frozenset({C.AWARD_JURY, C.AWARD_APPROVE})


def roles_holding(capability: Capability) -> frozenset[str]:
    """The roles whose holders have ``capability`` (the administrator always among them); empty for
    a commission capability, which no role gives."""
    if capability in MEMBERSHIP_CAPABILITIES:
        return frozenset()
    return frozenset({Role.ADMIN, *HOLDERS[capability]})


def capabilities_for(roles: Iterable[str]) -> frozenset[Capability]:
    """The role capabilities of a user holding ``roles`` (unknown role strings give nothing)."""
    held = set(roles)
    return frozenset(capability for capability in HOLDERS if held & roles_holding(capability))


class Audience(StrEnum):
    """Who sees a menu link that needs no capability."""

    ANYONE = "anyone"
    GUEST = "guest"
    CITIZEN = "citizen"  # any logged-in user


class Group(StrEnum):
    """Where a menu link sits: the main links, or the section «Кабинет сотрудника»."""

    MAIN = "main"
    STAFF = "staff"


@dataclass(frozen=True)
class MenuItem:
    """One link of the site menu: shown to ``audience`` or to holders of any of ``capabilities``."""

    label_key: str  # key of ag_app.i18n.MESSAGES, shown without its final full stop
    href: str
    element_id: str
    group: Group = Group.MAIN
    audience: Audience | None = None
    capabilities: tuple[Capability, ...] = ()

    def shown_to(self, logged_in: bool, capabilities: Iterable[str]) -> bool:
        """Whether a visitor (logged in or not, holding ``capabilities``) sees this link."""
        if self.capabilities:
            return logged_in and bool(set(capabilities) & set(self.capabilities))
        if self.audience is Audience.GUEST:
            return not logged_in
        if self.audience is Audience.CITIZEN:
            return logged_in
        return True


def _main(key: str, href: str, element_id: str, audience: Audience = Audience.ANYONE) -> MenuItem:
    return MenuItem(key, href, element_id, Group.MAIN, audience)


def _staff(key: str, href: str, element_id: str, *capabilities: Capability) -> MenuItem:
    return MenuItem(key, href, element_id, Group.STAFF, None, capabilities)


# The site menu, in order. Element ids of links that existed before the map are kept (browser tests
# click them); «Войти» and «Выйти» are drawn by the header itself.
MENU: tuple[MenuItem, ...] = (
    _main("menu.polls", "/polls", "nav-polls"),
    _main("menu.news", "/news", "nav-news"),
    _main("menu.stats", "/stats", "nav-stats"),
    _main("menu.house", "/house", "nav-house"),
    _main("menu.shop", "/shop", "nav-shop"),
    _main("menu.contest", "/contest", "nav-contest"),
    _main("menu.promo", "/promo", "nav-promo"),
    _main("menu.awards", "/awards", "nav-awards"),
    MenuItem("menu.award_jury", "/awards/jury", "nav-jury", Group.MAIN, None, (C.AWARD_JURY,)),
    MenuItem("menu.award_approval", "/awards/approval", "nav-approval", Group.MAIN, None, (C.AWARD_APPROVE,)),
    _main("menu.points", "/points", "nav-points", Audience.CITIZEN),
    _main("menu.profile", "/profile", "nav-profile", Audience.CITIZEN),
    _main("menu.notifications", "/notifications", "nav-notifications", Audience.CITIZEN),
    _staff("menu.staff_polls", "/staff/polls", "nav-staff", C.POLLS_MANAGE),
    _staff("menu.staff_new_poll", "/staff/polls/new", "menu-staff-new-poll", C.POLLS_MANAGE),
    _staff("menu.staff_dashboard", "/staff/dashboard", "nav-dashboard", C.DASHBOARD),
    _staff("menu.staff_registry", "/staff/registry", "menu-staff-registry", C.REGISTRY_IMPORT),
    _staff("menu.staff_houses", "/staff/houses", "menu-staff-houses", C.REGISTRY_ADMIN),
    _staff(
        "menu.staff_renovation",
        "/staff/renovation",
        "nav-staff-renovation",
        C.RENOVATION_MANAGE,
        C.RENOVATION_MODERATE,
    ),
    _staff("menu.staff_house_polls", "/staff/house-polls", "nav-house-moderation", C.HOUSE_POLLS_MODERATE),
    _staff("menu.staff_meetings", "/staff/meetings", "nav-staff-meetings", C.MEETINGS_MANAGE),
    _staff("menu.staff_feedback", "/staff/feedback", "nav-staff-feedback", C.FEEDBACK_ANSWER),
    _staff("menu.staff_shop", "/staff/shop", "nav-staff-shop", C.SHOP_MANAGE),
    _staff("menu.staff_shop_desk", "/staff/shop/desk", "nav-staff-shop-desk", C.SHOP_DESK),
    _staff("menu.staff_contest", "/staff/contest", "nav-staff-contest", C.CONTEST_REVIEW),
    _staff(
        "menu.staff_contest_manage", "/staff/contest/manage", "nav-staff-contest-manage", C.CONTEST_MANAGE
    ),
    _staff("menu.staff_contest_stats", "/staff/contest/stats", "nav-staff-contest-stats", C.CONTEST_REVIEW),
    _staff("menu.staff_promo", "/staff/promo", "nav-staff-promo", C.PROMO_MANAGE),
    _staff("menu.staff_promo_stats", "/staff/promo/stats", "nav-staff-promo-stats", C.PROMO_MANAGE),
    _staff("menu.staff_awards", "/staff/awards", "nav-staff-awards", C.AWARD_MANAGE),
    _staff(
        "menu.staff_award_commission",
        "/staff/awards/commission",
        "nav-staff-award-commission",
        C.AWARD_MANAGE,
    ),
    _staff("menu.staff_award_payouts", "/staff/awards/payouts", "nav-staff-award-payouts", C.AWARD_MANAGE),
    _staff("menu.staff_jobs", "/staff/jobs", "menu-staff-jobs", C.JOBS),
)

# The links between the pages of the staff cabinet (``components.common.staff_nav``), in order.
STAFF_SECTIONS: tuple[MenuItem, ...] = (
    _staff("menu.staff_all_polls", "/staff/polls", "nav-staff-polls", C.POLLS_MANAGE),
    _staff("menu.staff_new_poll", "/staff/polls/new", "nav-staff-new-poll", C.POLLS_MANAGE),
    _staff("menu.staff_registry", "/staff/registry", "nav-staff-registry", C.REGISTRY_IMPORT),
    _staff(
        "menu.staff_renovation",
        "/staff/renovation",
        "nav-staff-renovation-desk",
        C.RENOVATION_MANAGE,
        C.RENOVATION_MODERATE,
    ),
    _staff("menu.staff_houses", "/staff/houses", "nav-staff-houses", C.REGISTRY_ADMIN),
    _staff("menu.staff_feedback", "/staff/feedback", "nav-staff-feedback-desk", C.FEEDBACK_ANSWER),
    _staff("menu.staff_jobs", "/staff/jobs", "nav-staff-jobs", C.JOBS),
)


def menu_for(logged_in: bool, capabilities: Iterable[str]) -> tuple[MenuItem, ...]:
    """The menu links a visitor sees, in menu order."""
    held = frozenset(capabilities)
    return tuple(item for item in MENU if item.shown_to(logged_in, held))
