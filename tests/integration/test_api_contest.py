"""REST API of the receipt contest: saving receipts (QR, fields, photo), the public rating, one's own
place, and the sealed final rating — every refusal in Russian, no personal data in public answers."""

from datetime import timedelta

from sqlmodel import select

from ag_app.db import transaction
from ag_app.domain.clock import MOSCOW
from ag_app.domain.contest_seal import verify_rating
from ag_app.models import Receipt
from ag_app.seed.contest_photos import make_receipt_photo
from ag_app.services.contest import finalise
from ag_app.services.contest.contests import contests_of_period
from tests.factories import make_user, open_session
from tests.integration.contest_helpers import FUEL_FN, add_sellers


def bearer(session, user_id, now) -> dict[str, str]:
    return {"Authorization": f"Bearer {open_session(session, user_id, now)}"}


def _qr(now, fd: int, fn: str = FUEL_FN, hours: int = 1) -> str:
    local = (now - timedelta(hours=hours)).astimezone(MOSCOW)
    return f"t={local:%Y%m%dT%H%M}&s=1500.00&fn={fn}&i={fd}&fp={9000 + fd}&n=1"


def test_receipts_rating_and_own_place_over_the_api(client, session, now):
    add_sellers(session)
    anna, boris = make_user(session), make_user(session)
    anna_h, boris_h = bearer(session, anna.id, now), bearer(session, boris.id, now)

    saved = client.post("/api/v1/contest/receipts", json={"qr": _qr(now, 1)}, headers=anna_h)
    assert saved.status_code == 201, saved.text
    body = saved.json()
    assert (body["status"], body["points"], body["seller"]) == ("accepted", 10, "АЗС «Лукойл» № 17")

    local = (now - timedelta(hours=2)).astimezone(MOSCOW)
    fields = {
        "t": f"{local:%Y%m%dT%H%M}",
        "s": "99,90",
        "fn": "9960440300000020",
        "i": "2",
        "fp": "77",
        "n": "1",
    }
    assert client.post("/api/v1/contest/receipts", json=fields, headers=boris_h).status_code == 201

    again = client.post("/api/v1/contest/receipts", json={"qr": _qr(now, 1)}, headers=anna_h)
    assert again.status_code == 409 and again.json()["detail"] == "Этот чек уже сохранён."
    taken = client.post("/api/v1/contest/receipts", json={"qr": _qr(now, 1)}, headers=boris_h)
    assert taken.status_code == 409 and "другим участником" in taken.json()["detail"]
    refund = client.post(
        "/api/v1/contest/receipts", json={"qr": _qr(now, 3).replace("n=1", "n=2")}, headers=anna_h
    )
    assert refund.status_code == 422 and "возврат прихода" in refund.json()["detail"]
    guest = client.post("/api/v1/contest/receipts", json={"qr": _qr(now, 4)})
    assert guest.status_code == 401

    contests = client.get("/api/v1/contests", params={"period": "2026-11"}).json()
    assert [(c["general"], c["participants"]) for c in contests] == [(True, 2)]
    board = client.get(f"/api/v1/contests/{contests[0]['id']}/rating").json()
    assert board["total"] == 2
    assert [(row["place"], row["points"], row["name"]) for row in board["rows"]] == [
        (1, 10, "Иван И."),
        (2, 1, "Иван И."),
    ]
    assert set(board["rows"][0]) == {"place", "name", "number", "points"}
    me = client.get(f"/api/v1/contests/{contests[0]['id']}/rating/me", headers=boris_h).json()
    assert (me["place"], me["points"], me["to_next_place"]) == (2, 1, 10)
    listed = client.get("/api/v1/contest/receipts", headers=anna_h).json()
    assert [(r["amount"], r["status_name"]) for r in listed] == [("1\u00a0500,00\u00a0₽", "принят")]


def test_a_photo_of_the_qr_is_read_and_bad_photos_are_refused(client, session, now):
    add_sellers(session)
    user = make_user(session)
    headers = bearer(session, user.id, now)
    photo = make_receipt_photo(_qr(now, 11))
    saved = client.post(
        "/api/v1/contest/receipts/photo", files={"file": ("qr.jpg", photo, "image/jpeg")}, headers=headers
    )
    assert saved.status_code == 201, saved.text
    bad = client.post(
        "/api/v1/contest/receipts/photo",
        files={"file": ("qr.jpg", b"not an image", "image/jpeg")},
        headers=headers,
    )
    assert bad.status_code == 422 and "JPEG" in bad.json()["detail"]
    assert len(session.exec(select(Receipt)).all()) == 1


def test_the_final_rating_downloads_and_verifies_without_personal_data(client, engine, session, now):
    add_sellers(session)
    staff = make_user(session, roles=("staff",))
    users = [make_user(session, phone=f"+7903555{n:04d}") for n in range(3)]
    for n, user in enumerate(users):
        for k in range(3 - n):
            client.post(
                "/api/v1/contest/receipts",
                json={"qr": _qr(now, 100 + 10 * n + k, hours=1 + k)},
                headers=bearer(session, user.id, now),
            )
    contest = contests_of_period(session, "2026-11")[0]
    session.commit()
    assert client.get(f"/api/v1/contests/{contest.id}/final").status_code == 404
    with transaction(engine) as s:
        seal = finalise.finalise_contest(
            s, actor_id=staff.id, contest_id=contest.id, now=now + timedelta(days=11)
        )
    published = client.get(f"/api/v1/contests/{contest.id}/final/seal").json()
    assert published["sha256"] == seal.sha256 and published["rows"] == 3
    data = client.get(f"/api/v1/contests/{contest.id}/final.csv").content
    assert verify_rating(data.decode().splitlines(keepends=True), expect_hash=seal.sha256).ok
    final = client.get(f"/api/v1/contests/{contest.id}/final").json()
    text = data.decode() + str(final)
    for user in users:
        assert user.phone not in text and user.uid not in text and "Иванов" not in text
    assert [w["prize"] for w in final["winners"]] == [2000, 1500, 1000]
