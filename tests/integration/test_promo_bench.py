"""The promo bench runs end to end at a tiny size (the shipped verifier confirms its draw), and the
streamed draw gives the domain's winners and refuses a list changed after freezing."""

import pytest
from sqlalchemy import func, select, update

from ag_app.bench.promo import CODES_AT, DRAW_AT, prize_spec, run, setup, vote_everyone
from ag_app.db import read_transaction, transaction
from ag_app.domain.errors import Conflict
from ag_app.domain.promo import draw_winners, effective_seed, parse_prizes
from ag_app.models import OutboxMessage, PromoCitizen, PromoDraw
from ag_app.services.promo import codes, draws
from tests.conftest import PG_URL

DATABASES = [pytest.param(None, id="sqlite")]
if PG_URL:
    DATABASES.append(pytest.param(PG_URL, id="pg", marks=pytest.mark.pg))

FIELDS = {
    "name", "n", "ops_per_s", "p50_ms", "p99_ms", "floor_ops_per_s", "ratio", "peak_rss_mb", "db",
    "freeze_s", "draw_s", "draw_peak_rss_mb", "verify_s", "verify_exit", "verify_peak_rss_mb", "ratio_means",
}  # fmt: skip


def test_prizes_are_split_ten_twenty_seventy():
    assert prize_spec(100_000) == "5000x10000,3000x20000,1000x70000"
    assert prize_spec(100) == "5000x10,3000x20,1000x70"
    assert prize_spec(1) == "5000x1"


@pytest.mark.parametrize("db_url", DATABASES)
def test_bench_issues_codes_draws_and_the_shipped_verifier_confirms_it(db_url):
    data = run(2_000, 100, db_url)

    assert set(data) >= FIELDS
    assert (data["name"], data["n"], data["participants"], data["prizes"]) == ("promo", 2_000, 2_000, 100)
    assert data["db"] == ("sqlite" if db_url is None else "postgresql")
    assert data["prize_spec"] == "5000x10,3000x20,1000x70"
    assert data["ops_per_s"] > 0 and data["floor_ops_per_s"] > 0
    assert abs(data["ratio"] - data["ops_per_s"] / data["floor_ops_per_s"]) < 0.01
    assert 0 < data["p50_ms"] <= data["p99_ms"]
    # Everyone voted in the window; the draw paid every prize and the verifier agreed (exit 0).
    assert data["list_count"] == 2_000 and data["winners"] == 100 and len(data["list_sha256"]) == 64
    assert (data["verify_exit"], data["verify_ok"]) == (0, True)
    assert data["freeze_s"] > 0 and data["draw_s"] > 0 and data["verify_s"] > 0
    # One SMS per main winner and per extra prize (online, first online vote or 60+, no main prize).
    assert 0 < data["extra_prizes"] < 2_000 - 100
    assert data["sms_after_draw"] == data["winners"] + data["extra_prizes"]
    assert 0 < data["verify_peak_rss_mb"] < data["peak_rss_mb"] < 1024


def _drawn_and_frozen(engine, participants: int, spec: str) -> tuple[int, int]:
    first_id, _, campaign_id, draw_id = setup(engine, participants, spec)
    assert codes.issue_codes(engine, campaign_id=campaign_id, now=CODES_AT) == participants
    vote_everyone(engine, campaign_id, first_id)
    with transaction(engine) as session:
        assert draws.freeze(session, draw_id=draw_id, now=DRAW_AT)
    return campaign_id, draw_id


def test_streamed_draw_pays_the_domain_winners(engine):
    campaign_id, draw_id = _drawn_and_frozen(engine, 300, "5000x3,3000x5,1000x12")
    with read_transaction(engine) as session:
        draw = session.get(PromoDraw, draw_id)
        keys = session.execute(
            select(PromoCitizen.key).where(PromoCitizen.campaign_id == campaign_id)
        ).scalars()
        expected = draw_winners(
            effective_seed(bytes.fromhex(draw.seed), draw.entropy), set(keys), parse_prizes(draw.prizes)
        )
    with transaction(engine) as session:
        assert draws.run_draw(session, draw_id=draw_id, now=DRAW_AT)
    with read_transaction(engine) as session:
        paid = dict(
            session.execute(
                select(PromoCitizen.key, PromoCitizen.main_prize).where(
                    PromoCitizen.campaign_id == campaign_id, PromoCitizen.main_prize > 0
                )
            ).all()
        )
    assert paid == expected and sorted(paid.values()).count(5000) == 3 and len(paid) == 20


def test_a_list_changed_after_freezing_stops_the_draw_and_nothing_is_paid(engine):
    campaign_id, draw_id = _drawn_and_frozen(engine, 200, "5000x2,1000x8")
    with read_transaction(engine) as session:
        sms_before = session.execute(select(func.count()).select_from(OutboxMessage)).scalar_one()
    c = PromoCitizen
    with transaction(engine) as session:
        # A citizen disappears from the closed window behind the platform's back.
        session.execute(
            update(c)
            .where(c.campaign_id == campaign_id, c.id == select(func.min(c.id)).scalar_subquery())
            .values(voted_at=None, main_window=None)
        )
    with pytest.raises(Conflict) as refused, transaction(engine) as session:
        draws.run_draw(session, draw_id=draw_id, now=DRAW_AT)
    assert refused.value.key == "promo.list_changed"
    with read_transaction(engine) as session:
        draw = session.get(PromoDraw, draw_id)
        assert (draw.drawn_at, draw.winners_count) == (None, 0)
        won = session.execute(
            select(func.count()).where(c.campaign_id == campaign_id, (c.main_prize + c.extra_prize) > 0)
        ).scalar_one()
        assert won == 0
        assert session.execute(select(func.count()).select_from(OutboxMessage)).scalar_one() == sms_before
