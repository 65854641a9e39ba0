"""«Акция» in the browser: a citizen opts out and back in before 22:59; a winner activates the code
and exchanges prize points in the partner catalogue; a participant who won nothing reads «Вы не
найдены в списке победителей состоявшихся розыгрышей»; axe finds nothing serious on the pages.

Each test arranges its own campaign in the app's database through the services (as the jobs would
leave it) and opens it by ``?campaign=ID``; its citizens' phones are used by no other browser test.
"""

from datetime import UTC, date, datetime, timedelta
from itertools import count

from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from ag_app.db import make_engine
from ag_app.domain.clock import moscow_date
from ag_app.domain.identity import snils_checksum
from ag_app.domain.promo import VoteRow
from ag_app.domain.shop import CERTIFICATE
from ag_app.models import House, PromoCitizen, PromoDraw, ShopCategory, ShopItem, User, UserAddress
from ag_app.seed.promo import vmeste_config
from ag_app.services.promo import campaigns, codes, draws, votes
from tests.e2e.conftest import RunningApp
from tests.e2e.flows import log_in
from tests.e2e.test_accessibility import serious_violations

STAFF = "+79990000001"
_slugs = count(1)


def _citizen(session: Session, phone: str, *, full: bool) -> User:
    """A resident registered long ago: full name, e-mail, a Moscow registration address and a passport."""
    first = f"{int(phone[-7:]) + 300_000_000:09d}"
    past = datetime.now(UTC) - timedelta(days=400)
    user = User(
        uid=f"e2epromo{phone[-7:]}",
        phone=phone,
        phone_region="moscow",
        created_at=past,
        terms_accepted_at=past,
        last_name="Тестова",
        first_name="Анна",
        patronymic="Петровна",
        email=f"promo{phone[-4:]}@example.ru",
        email_confirmed_at=past,
        birth_date=date(1970, 3, 3),
        passport_series="4510",
        passport_number=phone[-6:],
        snils=f"{first}{snils_checksum(first) % 100:02d}",
        identity_verified_at=past if full else None,
    )
    session.add(user)
    session.flush()
    house = session.exec(select(House.id)).first()
    session.add(UserAddress(user_id=user.id, kind="registration", house_id=house, changed_at=past))
    session.flush()
    return user


def _campaign(session: Session, last_day: date, prizes: str) -> int:
    staff = session.exec(select(User.id).where(User.phone == STAFF)).one()
    config = vmeste_config(
        last_day, slug=f"e2e-promo-{next(_slugs)}-{last_day:%Y%m%d}", window_prizes=(prizes,) * 3
    )
    return campaigns.create_campaign(session, actor_id=staff, config=config, now=datetime.now(UTC))


def _engine(app: RunningApp):
    return make_engine(app.env["AG_DATABASE_URL"])


def test_a_citizen_opts_out_and_back_in_before_the_deadline(page: Page, app: RunningApp):
    phone = "+79035551801"
    engine = _engine(app)
    try:
        with Session(engine) as session:
            # The opt-out deadline is two days away: codes go out now, both buttons are open.
            campaign_id = _campaign(session, moscow_date(datetime.now(UTC)) + timedelta(days=5), "1000x1")
            person = _citizen(session, phone, full=False)
            codes.issue_batch(
                session, campaign_id=campaign_id, now=datetime.now(UTC), after=person.id - 1, batch=1
            )
            session.commit()
    finally:
        engine.dispose()
    log_in(page, app, phone)
    page.goto(f"{app.url}/promo?campaign={campaign_id}")
    expect(page.locator("#promo-code")).to_be_visible()
    page.locator("#promo-reason").fill("Не хочу получать СМС")
    page.locator("#promo-opt-out").click()
    expect(page.locator("#promo-status")).to_contain_text("Вы отказались от участия в акции")
    expect(page.locator("#promo-opt-out")).to_have_count(0)
    page.locator("#promo-opt-in").click()  # without the tick: refused, nothing changes
    expect(page.locator("#promo-status")).to_contain_text("Вы отказались от участия в акции")
    page.locator("#promo-accept-rules").check()
    page.locator("#promo-opt-in").click()
    expect(page.locator("#promo-status")).to_contain_text("Вы можете участвовать в акции")
    expect(page.locator("#promo-opt-out")).to_be_visible()
    assert serious_violations(page) == []


def _drawn_campaign(app: RunningApp, phones: tuple[str, ...], prizes: str) -> tuple[int, dict[str, int]]:
    """A campaign whose first window closed yesterday and was drawn; ``phones`` voted online in it.

    Returns the campaign id and each phone's main prize.
    """
    engine = _engine(app)
    try:
        with Session(engine) as session:
            now = datetime.now(UTC)
            last_day = moscow_date(now - timedelta(hours=11))
            campaign_id = _campaign(session, last_day, prizes)
            config = vmeste_config(last_day)
            sent = max(config.schedule.info_ends_at, config.schedule.eligibility_at) + timedelta(hours=1)
            people = [_citizen(session, phone, full=True) for phone in phones]
            for person in people:
                codes.issue_batch(session, campaign_id=campaign_id, now=sent, after=person.id - 1, batch=1)
            staff = session.exec(select(User.id).where(User.phone == STAFF)).one()
            voted = config.schedule.window_ends[0] - timedelta(hours=3)
            rows = [
                VoteRow(line=n, snils=p.snils, phone="", voted_at=voted, channel="online", first_online=False)
                for n, p in enumerate(people, start=2)
            ]
            votes.import_votes(session, actor_id=staff, campaign_id=campaign_id, rows=rows, now=now)
            first = session.exec(
                select(PromoDraw).where(PromoDraw.campaign_id == campaign_id, PromoDraw.window == 0)
            ).all()
            for draw in first:
                draws.freeze(session, draw_id=draw.id, now=config.schedule.window_ends[0])
                drawn_at = config.schedule.draws_due[0] - timedelta(minutes=30)
                draws.run_draw(session, draw_id=draw.id, now=drawn_at)
                draws.announce(session, draw_id=draw.id, now=drawn_at)
            category = ShopCategory(
                slug=f"e2e-partner-{campaign_id}",
                name=f"Партнёры акции {campaign_id}",
                fulfilment=CERTIFICATE,
                position=500 + campaign_id,
                campaign_id=campaign_id,
            )
            session.add(category)
            session.flush()
            session.add(
                ShopItem(
                    category_id=category.id,
                    title="Билет в планетарий",
                    price=1000,
                    stock=10,
                    open_to_all=True,
                    created_at=now,
                )
            )
            prizes_won = {
                phone: session.exec(
                    select(PromoCitizen.main_prize).where(
                        PromoCitizen.campaign_id == campaign_id, PromoCitizen.user_id == person.id
                    )
                ).one()
                for phone, person in zip(phones, people, strict=True)
            }
            session.commit()
            return campaign_id, prizes_won
    finally:
        engine.dispose()


def test_a_winner_activates_the_code_and_exchanges_prize_points(page: Page, app: RunningApp):
    phone = "+79035551811"
    campaign_id, prizes = _drawn_campaign(app, (phone,), "1000x1")
    assert prizes[phone] == 1000
    log_in(page, app, phone)
    page.goto(f"{app.url}/promo?campaign={campaign_id}")
    expect(page.locator("#promo-status")).to_contain_text("Вы победитель")
    expect(page.locator("#promo-prize-rules")).to_be_visible()
    page.locator("#promo-accept-prize").check()
    page.locator("#promo-activate").click()
    expect(page.locator("#promo-prizes")).to_contain_text("1 000")
    expect(page.locator("#promo-activate")).to_have_count(0)
    assert serious_violations(page) == []
    page.locator("#promo-exchange").click()
    expect(page).to_have_url(f"{app.url}/promo/exchange?campaign={campaign_id}")
    item = page.locator("[id^='exchange-item-']", has_text="Билет в планетарий")
    expect(item).to_be_visible()
    item.get_by_role("button", name="Обменять").click()
    page.get_by_role("button", name="Подтвердить обмен").click()
    expect(page.locator("#exchange-orders")).to_contain_text("Билет в планетарий")
    assert serious_violations(page) == []


def test_a_participant_who_won_nothing_is_told_so(page: Page, app: RunningApp):
    phones = ("+79035551821", "+79035551822")
    campaign_id, prizes = _drawn_campaign(app, phones, "1000x1")
    assert sorted(prizes.values()) == [0, 1000]
    loser = next(phone for phone, prize in prizes.items() if prize == 0)
    log_in(page, app, loser)
    page.goto(f"{app.url}/promo?campaign={campaign_id}")
    expect(page.locator("#promo-status")).to_have_text(
        "Вы не найдены в списке победителей состоявшихся розыгрышей."
    )
    expect(page.locator("#promo-activate")).to_have_count(0)
    expect(
        page.locator(f"#promo-draw-{campaign_id}").or_(page.locator("[id^='promo-draw-']")).first
    ).to_be_visible()
    assert serious_violations(page) == []
