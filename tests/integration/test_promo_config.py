"""Configuring a campaign: staff only, every draw committed at once, and no change that would alter
a draw whose window has closed (SQLite and PostgreSQL)."""

import hashlib
from dataclasses import replace

import pytest
from sqlmodel import select

from ag_app.db import read_transaction, transaction
from ag_app.domain.errors import Conflict, InvalidInput, NotAllowed
from ag_app.models import PromoCampaign, PromoDraw
from ag_app.seed.promo import vmeste_config
from ag_app.services.promo import campaigns, draws, public
from tests.factories import make_user
from tests.promo_helpers import LAST_DAY, make_campaign, msk


def _draws(engine, campaign_id):
    with read_transaction(engine) as s:
        return [PromoDraw(**d.model_dump()) for d in campaigns.draws_of(s, campaign_id)]


def _update(engine, staff_id, campaign_id, config):
    with transaction(engine) as s:
        campaigns.update_campaign(s, actor_id=staff_id, campaign_id=campaign_id, config=config)


def test_a_campaign_commits_every_draw_and_hides_seeds_until_drawn(engine, session):
    campaign_id, _, _ = make_campaign(engine, session)
    made = _draws(engine, campaign_id)
    assert [(d.kind, d.window) for d in made if d.kind == "main"] == [("main", 0), ("main", 1), ("main", 2)]
    assert len(made) == 12  # a main draw and three category draws per window
    for draw in made:
        assert draw.commitment == hashlib.sha256(bytes.fromhex(draw.seed)).hexdigest()
    with read_transaction(engine) as s:
        view = public.campaign_view(s, campaign_id=campaign_id, now=msk((2026, 9, 6), 12))
    assert view.phase == "draws" and all(d.seed == "" and d.participants_url == "" for d in view.draws)
    assert (
        view.draws[0].window_text == "до 20:00 06.09.2026"
        and view.draws[0].due_text == "не позднее 10:00 07.09.2026"
    )
    assert any(d.label == "Отказ от участия" and d.text == "до 23:59 05.09.2026" for d in view.deadlines)
    draws.due_draws(engine, now=msk((2026, 9, 7), 9, 30))
    with read_transaction(engine) as s:
        view = public.campaign_view(s, campaign_id=campaign_id, now=msk((2026, 9, 7), 10))
    first = view.draws[0]
    assert (
        first.state == "drawn" and first.seed == made[0].seed and first.winners_url.endswith("/winners.csv")
    )
    assert view.draws[4].state == "open" and view.draws[4].seed == ""


def test_only_staff_configure_and_bad_configs_change_nothing(engine, session):
    campaign_id, staff_id, _ = make_campaign(engine, session)
    resident = make_user(session)
    config = vmeste_config(LAST_DAY, slug="other")
    with pytest.raises(NotAllowed), transaction(engine) as s:
        campaigns.create_campaign(s, actor_id=resident.id, config=config, now=msk((2026, 7, 1), 12))
    with pytest.raises(InvalidInput), transaction(engine) as s:
        campaigns.create_campaign(
            s, actor_id=staff_id, config=replace(config, window_prizes=("1000x1",)), now=msk((2026, 7, 1), 12)
        )
    with pytest.raises(InvalidInput), transaction(engine) as s:
        campaigns.create_campaign(
            s,
            actor_id=staff_id,
            config=replace(config, window_prizes=("1000 x",) * 3),
            now=msk((2026, 7, 1), 12),
        )
    with pytest.raises(Conflict), transaction(engine) as s:
        campaigns.create_campaign(
            s, actor_id=staff_id, config=vmeste_config(LAST_DAY), now=msk((2026, 7, 1), 12)
        )
    count = session.exec(select(PromoCampaign.id)).all()
    session.commit()
    assert count == [campaign_id]


def test_changes_keep_commitments_and_never_touch_a_closed_window(engine, session):
    campaign_id, staff_id, _ = make_campaign(engine, session)
    before = {(d.kind, d.category, d.window): d.commitment for d in _draws(engine, campaign_id)}
    config = vmeste_config(LAST_DAY, window_prizes=("5000x4", "5000x4", "5000x4"))
    _update(engine, staff_id, campaign_id, config)
    after = _draws(engine, campaign_id)
    assert {(d.kind, d.category, d.window): d.commitment for d in after} == before
    assert [d.prizes for d in after if d.kind == "main"] == ["5000x4"] * 3
    draws.due_draws(engine, now=msk((2026, 9, 6), 21))  # window 0 closes: its lists freeze
    with pytest.raises(Conflict, match="закрытый розыгрыш"):
        _update(
            engine,
            staff_id,
            campaign_id,
            vmeste_config(LAST_DAY, window_prizes=("1000x1", "5000x4", "5000x4")),
        )
    with pytest.raises(Conflict):
        _update(engine, staff_id, campaign_id, replace(config, extra_prize=2000))
    _update(
        engine, staff_id, campaign_id, vmeste_config(LAST_DAY, window_prizes=("5000x4", "1000x9", "1000x9"))
    )
    mains = [d for d in _draws(engine, campaign_id) if d.kind == "main"]
    assert [d.prizes for d in mains] == ["5000x4", "1000x9", "1000x9"]
    frozen = session.exec(select(PromoDraw).where(PromoDraw.frozen_at.is_not(None))).all()
    session.commit()
    assert {d.window for d in frozen} == {0}
