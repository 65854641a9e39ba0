"""The one map of rights (domain/roles.py): every role's exact capabilities and menu links."""

import pytest

from ag_app.domain.roles import (
    HOLDERS,
    MEMBERSHIP_CAPABILITIES,
    MENU,
    STAFF_SECTIONS,
    Audience,
    Capability,
    Group,
    capabilities_for,
    menu_for,
    roles_holding,
)
from ag_app.i18n import MESSAGES

C = Capability

STAFF_HOLDS = {
    C.POLLS_MANAGE,
    C.REGISTRY_IMPORT,
    C.DASHBOARD,
    C.JOBS,
    C.FEEDBACK_ANSWER,
    C.MEETINGS_MANAGE,
    C.RENOVATION_MANAGE,
    C.SHOP_MANAGE,
    C.SHOP_DESK,
    C.CONTEST_REVIEW,
    C.CONTEST_MANAGE,
    C.PROMO_MANAGE,
    C.AWARD_MANAGE,
    C.OUTBOX_READ,
}
MODERATOR_HOLDS = {
    C.RENOVATION_MODERATE,
    C.HOUSE_POLLS_MODERATE,
    C.SHOP_DESK,
    C.CONTEST_MODERATE,
    C.CONTEST_REVIEW,
    C.OUTBOX_READ,
}
ADMIN_HOLDS = set(Capability) - MEMBERSHIP_CAPABILITIES


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        ((), set()),
        (("staff",), STAFF_HOLDS),
        (("moderator",), MODERATOR_HOLDS),
        (("admin",), ADMIN_HOLDS),
        (("moderator", "staff"), (STAFF_HOLDS | MODERATOR_HOLDS)),
        (("owner", "chair"), set()),  # not staff roles: house and commission roles give nothing here
    ],
    ids=["resident", "staff", "moderator", "admin", "moderator+staff", "unknown"],
)
def test_every_role_holds_exactly_its_capabilities(roles, expected):
    assert capabilities_for(roles) == expected


def test_only_the_administrator_keeps_the_house_registry():
    """The staff menu used to offer «Реестр домов» to staff, whom the service refuses."""
    assert roles_holding(C.REGISTRY_ADMIN) == {"admin"}
    assert C.REGISTRY_ADMIN not in capabilities_for(["staff", "moderator"])


def test_commission_capabilities_come_from_no_role():
    assert {C.AWARD_JURY, C.AWARD_APPROVE} == MEMBERSHIP_CAPABILITIES
    assert not MEMBERSHIP_CAPABILITIES & capabilities_for(["admin", "staff", "moderator"])
    assert all(roles_holding(c) == frozenset() for c in MEMBERSHIP_CAPABILITIES)
    assert set(HOLDERS) | MEMBERSHIP_CAPABILITIES == set(Capability)


def _hrefs(logged_in: bool, roles: tuple[str, ...], extra: frozenset = frozenset()) -> list[str]:
    return [item.href for item in menu_for(logged_in, capabilities_for(roles) | extra)]


MAIN = ["/polls", "/news", "/stats", "/house", "/shop", "/contest", "/promo", "/awards"]
CITIZEN = ["/points", "/profile", "/notifications"]


def test_guest_and_resident_menus():
    assert _hrefs(False, ()) == MAIN
    assert _hrefs(True, ()) == MAIN + CITIZEN


def test_staff_menu():
    assert _hrefs(True, ("staff",)) == MAIN + CITIZEN + [
        "/staff/polls",
        "/staff/polls/new",
        "/staff/dashboard",
        "/staff/registry",
        "/staff/renovation",
        "/staff/meetings",
        "/staff/feedback",
        "/staff/shop",
        "/staff/shop/desk",
        "/staff/contest",
        "/staff/contest/manage",
        "/staff/contest/stats",
        "/staff/promo",
        "/staff/promo/stats",
        "/staff/awards",
        "/staff/awards/commission",
        "/staff/awards/payouts",
        "/staff/jobs",
    ]


def test_moderator_menu_has_only_what_a_moderator_may_open():
    assert _hrefs(True, ("moderator",)) == MAIN + CITIZEN + [
        "/staff/renovation",
        "/staff/house-polls",
        "/staff/shop/desk",
        "/staff/contest",
        "/staff/contest/stats",
    ]


def test_administrator_menu_has_every_staff_link():
    staff_links = [item.href for item in MENU if item.group is Group.STAFF]
    assert _hrefs(True, ("admin",)) == MAIN + CITIZEN + staff_links
    assert "/staff/houses" in staff_links


def test_commission_links_only_for_commission_people():
    juror = _hrefs(True, (), frozenset({C.AWARD_JURY}))
    chair = _hrefs(True, (), frozenset({C.AWARD_JURY, C.AWARD_APPROVE}))
    assert "/awards/jury" in juror and "/awards/approval" not in juror
    assert {"/awards/jury", "/awards/approval"} <= set(chair)
    assert "/awards/jury" not in _hrefs(True, ("admin",))
    # A guest never sees capability links, whatever the client claims.
    assert _hrefs(False, ("admin",), frozenset({C.AWARD_JURY})) == MAIN


def test_menu_items_are_well_formed():
    for items in (MENU, STAFF_SECTIONS):
        ids = [item.element_id for item in items]
        assert len(ids) == len(set(ids)), "an element id twice in one menu"
        for item in items:
            assert item.label_key in MESSAGES
            assert item.href.startswith("/") and " " not in item.href
            assert bool(item.capabilities) != (item.audience is not None)
            assert item.group is Group.MAIN or item.capabilities
    # The drawer and the staff sub-navigation can be on one page at once: no id in both.
    assert not {i.element_id for i in MENU} & {i.element_id for i in STAFF_SECTIONS}
    assert {item.audience for item in MENU} - {None} == {Audience.ANYONE, Audience.CITIZEN}


def test_staff_sections_follow_the_same_capabilities_as_the_menu():
    menu = {item.href: set(item.capabilities) for item in MENU if item.group is Group.STAFF}
    for item in STAFF_SECTIONS:
        assert set(item.capabilities) == menu[item.href], item.href
