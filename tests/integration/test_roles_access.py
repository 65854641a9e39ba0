"""The one map of rights against the services: for every role, each staff link of its menu opens a
page whose service lets the role in, and each staff page left out of its menu refuses it — the menu
shows exactly what the services allow. The profile (and so the header) carries the capabilities,
commission seats included."""

from collections.abc import Callable

import pytest
from sqlmodel import Session

from ag_app.domain.errors import DomainError, NotAllowed, NotAuthenticated
from ag_app.domain.roles import MENU, STAFF_SECTIONS, Capability, Group, capabilities_for, menu_for
from ag_app.models import AwardJuror
from ag_app.services import (
    access,
    dashboard,
    feedback,
    house_polls,
    house_registry,
    jobs,
    meetings,
    polls,
    profile,
    renovation,
    shop,
)
from ag_app.services.award import commission, page, payouts
from ag_app.services.contest import moderation
from ag_app.services.contest import staff as contest_staff
from ag_app.services.contest import stats as contest_stats
from ag_app.services.promo import staff as promo_staff
from ag_app.services.promo import stats as promo_stats
from tests.award_fixtures import make_contest
from tests.factories import make_user

Gate = Callable[[Session, int, object], object]

# The first service call of each staff page's load (state/staff_*.py): the page shows its content
# only when it lets the user in.
PAGE_GATES: dict[str, Gate] = {
    "/staff/polls": lambda s, a, now: polls.staff_polls(s, actor_id=a, now=now),
    "/staff/polls/new": lambda s, a, now: access.require(s, a, Capability.POLLS_MANAGE),
    "/staff/dashboard": lambda s, a, now: dashboard.staff_dashboard(s, actor_id=a, now=now),
    "/staff/registry": lambda s, a, now: access.require(s, a, Capability.REGISTRY_IMPORT),
    "/staff/houses": lambda s, a, now: house_registry.require_registry_admin(s, actor_id=a),
    "/staff/renovation": lambda s, a, now: renovation.desk_capabilities(s, actor_id=a),
    "/staff/house-polls": lambda s, a, now: house_polls.moderation_queue(s, actor_id=a, now=now),
    "/staff/meetings": lambda s, a, now: meetings.list_all_meetings(s, actor_id=a, now=now),
    "/staff/feedback": lambda s, a, now: feedback.staff_queue(s, actor_id=a),
    "/staff/shop": lambda s, a, now: shop.staff_items(s, actor_id=a, now=now),
    "/staff/shop/desk": lambda s, a, now: shop.require_desk(s, actor_id=a),
    "/staff/contest": lambda s, a, now: moderation.audit_trail(s, actor_id=a, period="2026-11"),
    "/staff/contest/manage": lambda s, a, now: contest_staff.staff_contests(
        s, actor_id=a, period="2026-11", now=now
    ),
    "/staff/contest/stats": lambda s, a, now: contest_stats.contest_stats(
        s, actor_id=a, period="2026-11", now=now
    ),
    "/staff/promo": lambda s, a, now: promo_staff.campaign_choices(s, actor_id=a),
    "/staff/promo/stats": lambda s, a, now: promo_stats.campaign_stats(s, actor_id=a, campaign_id=None),
    "/staff/awards": lambda s, a, now: page.staff_page(s, actor_id=a, now=now, contest_id=None),
    "/staff/awards/commission": lambda s, a, now: commission.contest_choices(s, actor_id=a),
    "/staff/awards/payouts": lambda s, a, now: payouts.staff_payouts(s, actor_id=a, contest_id=10**6),
    "/staff/jobs": lambda s, a, now: jobs.staff_job_statuses(s, actor_id=a),
}


def _lets_in(session: Session, gate: Gate, actor_id: int, now) -> bool:
    """Whether the page's service lets the user in (a «not found» past the role check counts as in)."""
    try:
        gate(session, actor_id, now)
    except (NotAllowed, NotAuthenticated):
        return False
    except DomainError:
        return True
    finally:
        session.rollback()
    return True


def test_every_staff_page_has_a_gate():
    staff_hrefs = {item.href for item in (*MENU, *STAFF_SECTIONS) if item.group is Group.STAFF}
    assert staff_hrefs == set(PAGE_GATES)


@pytest.mark.parametrize(
    "roles", [(), ("moderator",), ("staff",), ("admin",)], ids=["resident", "moderator", "staff", "admin"]
)
def test_menu_shows_exactly_the_staff_pages_the_services_open(session, now, roles):
    user = make_user(session, roles=roles)
    shown = {item.href for item in menu_for(True, capabilities_for(roles)) if item.group is Group.STAFF}
    opened = {href for href, gate in PAGE_GATES.items() if _lets_in(session, gate, user.id, now)}
    assert shown == opened


def test_profile_carries_the_capabilities_with_commission_seats(session, now):
    contest = make_contest(session)
    moderator = make_user(session, roles=("moderator",))
    juror = make_user(session)
    chair = make_user(session)
    resident = make_user(session)
    session.add(AwardJuror(contest_id=contest.id, user_id=juror.id, role="member"))
    session.add(AwardJuror(contest_id=contest.id, user_id=chair.id, role="chair"))
    session.commit()

    def caps(user) -> set[str]:
        return set(profile.get_profile(session, actor_id=user.id, now=now).capabilities)

    assert caps(resident) == set()
    assert caps(juror) == {"award_jury"}
    assert caps(chair) == {"award_jury", "award_approve"}
    assert caps(moderator) == {c.value for c in capabilities_for(["moderator"])}


def test_require_refuses_guests_and_holders_of_other_capabilities(session):
    moderator = make_user(session, roles=("moderator",))
    with pytest.raises(NotAuthenticated):
        access.require(session, None, Capability.SHOP_DESK)
    assert access.require(session, moderator.id, Capability.SHOP_DESK).id == moderator.id
    with pytest.raises(NotAllowed):
        access.require(session, moderator.id, Capability.SHOP_MANAGE)
