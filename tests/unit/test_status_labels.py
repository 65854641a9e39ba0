"""Status labels are defined once: one catalogue family per kind of status, read through one accessor."""

import ast
import re
from pathlib import Path

import pytest

from ag_app.domain import feedback, house_polls, points, polls, promo, renovation, shop
from ag_app.i18n import MESSAGES, message, status, statuses
from ag_app.services.award import cabinet, payouts, scoring
from ag_app.services.contest import receipts
from ag_app.services.contest import staff as contest_staff
from ag_app.services.promo import public as promo_public
from ag_app.services.promo import staff as promo_staff
from ag_app.state import contest_results, staff_common

APP = Path(__file__).resolve().parents[2] / "ag_app"
CYRILLIC = re.compile("[А-Яа-яЁё]")
NAME = re.compile(r"(STATE|STATUS|PHASE)")


def _hand_written_maps(path: Path, name: str) -> list[str]:
    """Module-level ``*STATE*/*STATUS*/*PHASE*`` dicts whose values are Russian text written in place."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in tree.body:
        if not isinstance(node, ast.Assign | ast.AnnAssign) or not isinstance(node.value, ast.Dict):
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if not any(isinstance(t, ast.Name) and NAME.search(t.id) for t in targets):
            continue
        texts = [
            c.value
            for v in node.value.values
            for c in ast.walk(v)
            if isinstance(c, ast.Constant) and isinstance(c.value, str)
        ]
        if any(CYRILLIC.search(t) or t.startswith("ui.") for t in texts):
            found.append(f"{name}:{node.lineno}")
    return found


def test_no_layer_writes_its_own_status_wording():
    found = [
        hit
        for layer in ("domain", "services", "state", "components")
        for path in sorted((APP / layer).rglob("*.py"))
        for hit in _hand_written_maps(path, path.relative_to(APP).as_posix())
    ]
    assert found == [], "status wording outside the catalogue's status.* families: " + ", ".join(found)


def test_the_scan_finds_a_hand_written_map(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text(
        'STATUS_NAMES = {"new": "Новое"}\nOTHER = {"a": "Б"}\nSTATES = {"a": label("ui.x.y")}\n'
        'PHASES = {"a": status("poll", "a")}\n',
        encoding="utf-8",
    )
    assert _hand_written_maps(probe, "probe.py") == ["probe.py:1", "probe.py:3"]


def test_staff_and_residents_read_the_same_poll_states():
    assert set(statuses("poll")) == set(polls.STATES)
    for state in polls.STATES:
        assert staff_common.POLL_STATE_NAMES[state] == polls.STATE_NAMES[state].capitalize()
    assert staff_common.POLL_STATE_NAMES["closed"] == "Завершено, итоги не опубликованы"
    assert message("poll.state_invalid", state=polls.STATE_NAMES["draft"]) == (
        "Это действие недоступно: голосование ещё не опубликовано."
    )


@pytest.mark.parametrize(
    ("family", "names", "heading"),
    [
        ("decision", polls.DECISION_STATUSES, True),
        ("house_poll", house_polls.STATUSES, False),
        ("renovation_vote", renovation.VOTE_STATUSES, False),
        ("feedback", feedback.STATUSES, True),
        ("invitation", points.INVITATION_STATE_NAMES, True),
        ("promo_phase", promo.PHASE_NAMES, False),
        ("order", shop.ORDER_STATUS_NAMES, True),
        ("award_team", cabinet.STATUS_NAMES, True),
        ("award_sheet", scoring.SHEET_STATUS_NAMES, False),
        ("award_payout", payouts.STATUS_NAMES, False),
        ("receipt", receipts.STATUS_NAMES, False),
        ("contest", contest_staff.STATUS_NAMES, True),
        ("prize", contest_staff.PRIZE_STATUS_NAMES, True),
        ("promo_draw", promo_public.DRAW_STATES, False),
    ],
)
def test_every_map_is_its_catalogue_family(family, names, heading):
    assert names == statuses(family, heading=heading)


def test_one_wording_where_two_layers_show_the_same_status():
    assert (
        promo_staff.DRAW_STATE_NAMES[promo_staff.DONE]
        == promo_public.DRAW_STATES[promo_public.DRAWN]
        == "проведён"
    )
    awarded = contest_results.PRIZE_STATUS[contest_results.AWARDED]
    assert awarded.capitalize() == contest_staff.PRIZE_STATUS_NAMES["awarded"] == "Ожидает заявки"


def test_heading_capitalises_only_the_first_letter():
    assert status("invitation", "paid") == "друг зарегистрировался, баллы начислены"
    assert status("invitation", "paid", heading=True) == "Друг зарегистрировался, баллы начислены"
    assert all(MESSAGES[k].endswith(".") for k in MESSAGES if k.startswith("status."))
    with pytest.raises(KeyError):
        status("poll", "no_such_state")
