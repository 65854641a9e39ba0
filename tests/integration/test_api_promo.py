"""REST API of the promo campaign «#ВыбираемВместе»: the published campaign and draw files (re-verified
by the shipped verifier), the citizen's own state and actions at the deadlines, staff imports and
public randomness — every refusal in Russian and changing nothing, no personal data in public answers."""

import hashlib
import re
from datetime import date

import pytest
from sqlmodel import select

from ag_app.domain.promo_verify import verify_draw
from ag_app.models import PromoCitizen, PromoDraw
from ag_app.services.promo import codes, draws
from tests.factories import make_user, open_session
from tests.promo_helpers import make_campaign, make_citizen, msk

API = "/api/v1/promo"
HEADER = "person;voted_at;channel;first_online"


def bearer(session, user_id, now) -> dict[str, str]:
    return {"Authorization": f"Bearer {open_session(session, user_id, now)}"}


def _vote_file(*lines: str) -> str:
    return HEADER + "\n" + "\n".join(lines) + "\n"


def _rows(session, campaign_id) -> dict[int, PromoCitizen]:
    rows = session.exec(
        select(PromoCitizen)
        .where(PromoCitizen.campaign_id == campaign_id)
        .execution_options(populate_existing=True)
    ).all()
    session.commit()
    return {row.user_id: row for row in rows}


def _draw(session, draw_id) -> PromoDraw:
    draw = session.exec(
        select(PromoDraw).where(PromoDraw.id == draw_id).execution_options(populate_existing=True)
    ).one()
    session.commit()
    return draw


def _upload(client, campaign_id, text: str | bytes, headers, *, as_form: bool = True):
    data = text.encode() if isinstance(text, str) else text
    if as_form:
        return client.post(
            f"{API}/campaigns/{campaign_id}/votes",
            files={"file": ("votes.csv", data, "text/csv")},
            headers=headers,
        )
    return client.post(
        f"{API}/campaigns/{campaign_id}/votes",
        content=data,
        headers={**headers, "Content-Type": "text/csv; charset=utf-8"},
    )


@pytest.fixture
def campaign(engine, session):
    """The 2026 replica with two main prizes in the first window and one in each other."""
    return make_campaign(engine, session, window_prizes=("5000x1,1000x1", "1000x1", "1000x1"))


def test_campaign_files_before_and_after_the_draw(client, clock, engine, session, campaign, now, tmp_path):
    campaign_id, staff_id, geo = campaign
    house = geo["house:Арбат"]
    people = [make_citizen(session, house, full=True) for _ in range(3)]
    resident = make_user(session)
    staff_h, resident_h = bearer(session, staff_id, now), bearer(session, resident.id, now)
    codes.issue_due_codes(engine, now=msk((2026, 8, 31), 12))
    clock["now"] = msk((2026, 9, 6), 21)
    text = _vote_file(*(f"{p.snils};2026-09-06 1{n}:00;online;no" for n, p in enumerate(people)))
    assert _upload(client, campaign_id, text, staff_h).json()["added"] == 3

    listed = client.get(f"{API}/campaigns").json()
    assert listed == [
        {
            "id": campaign_id,
            "slug": "vmeste",
            "title": "#ВыбираемВместе2026",
            "phase": listed[0]["phase"],
            "phase_name": listed[0]["phase_name"],
        }
    ]
    assert re.search("[а-я]", listed[0]["phase_name"])
    before = client.get(f"{API}/campaigns/{campaign_id}").json()
    main0 = next(d for d in before["draws"] if d["kind"] == "main" and d["window"] == 0)
    base = f"{API}/campaigns/{campaign_id}/draws/{main0['id']}"
    assert re.fullmatch("[0-9a-f]{64}", main0["commitment"])
    assert (main0["state"], main0["seed"], main0["list_sha256"], main0["participants_url"]) == (
        "open",
        "",
        "",
        "",
    )
    assert [d["label"] for d in before["deadlines"]][:4] == [
        "Информирование",
        "Право участия определяется на",
        "Отказ от участия",
        "Отмена отказа от участия",
    ]
    early = client.get(f"{base}/participants.txt")
    assert (early.status_code, early.json()["detail"]) == (
        404,
        "Список участников будет опубликован после закрытия окна розыгрыша.",
    )
    assert client.get(f"{base}/winners.csv").json()["detail"] == "Розыгрыш ещё не проведён."

    # The window closed at 20:01: the list is frozen and published with its digest.
    draws.due_draws(engine, now=msk((2026, 9, 7), 8, 30))
    clock["now"] = msk((2026, 9, 7), 8, 40)
    frozen = next(
        d for d in client.get(f"{API}/campaigns/{campaign_id}").json()["draws"] if d["id"] == main0["id"]
    )
    assert (frozen["state"], frozen["seed"], frozen["list_count"]) == ("frozen", "", 3)
    assert frozen["participants_url"] == f"{base}/participants.txt" and frozen["winners_url"] == ""
    listing = client.get(frozen["participants_url"])
    assert listing.status_code == 200
    assert listing.headers["content-type"] == "text/plain; charset=utf-8"
    assert (
        f'filename="promo-{campaign_id}-draw-{main0["id"]}-participants.txt"'
        in listing.headers["content-disposition"]
    )
    assert hashlib.sha256(listing.content).hexdigest() == frozen["list_sha256"]
    rows = _rows(session, campaign_id)
    assert listing.text.splitlines() == sorted(rows[p.id].key for p in people)
    assert client.get(f"{base}/winners.csv").status_code == 404

    # Public randomness: a resident is refused and nothing changes; staff add it.
    entropy_url = f"{base}/entropy"
    refused = client.post(entropy_url, json={"entropy": "1 2 3"}, headers=resident_h)
    assert (refused.status_code, refused.json()["detail"]) == (403, "Недостаточно прав для этого действия.")
    assert client.post(entropy_url, json={"entropy": "1 2 3"}).status_code == 401
    assert _draw(session, main0["id"]).entropy == ""
    added = client.post(entropy_url, json={"entropy": " 12  31 4 7 45 1 "}, headers=staff_h)
    assert added.status_code == 200, added.text
    assert added.json()["entropy"] == "12 31 4 7 45 1" and added.json()["seed"] == ""
    assert _draw(session, main0["id"]).entropy == "12 31 4 7 45 1"

    # The draw runs: the seed is revealed, matches the commitment, and the files verify.
    draws.due_draws(engine, now=msk((2026, 9, 7), 9))
    clock["now"] = msk((2026, 9, 7), 10)
    campaign_json = client.get(f"{API}/campaigns/{campaign_id}").json()
    drawn = next(d for d in campaign_json["draws"] if d["id"] == main0["id"])
    assert drawn["state"] == "drawn" and drawn["winners_count"] == 2
    assert (
        hashlib.sha256(bytes.fromhex(drawn["seed"])).hexdigest() == drawn["commitment"] == main0["commitment"]
    )
    late = client.post(entropy_url, json={"entropy": "9"}, headers=staff_h)
    assert late.status_code == 409 and "уже проведён" in late.json()["detail"]
    result = client.get(drawn["winners_url"])
    assert result.headers["content-type"] == "text/csv; charset=utf-8"
    assert "winners.csv" in result.headers["content-disposition"]
    listing = client.get(drawn["participants_url"]).content
    assert hashlib.sha256(listing).hexdigest() == drawn["list_sha256"]
    (tmp_path / "p.txt").write_bytes(listing)
    (tmp_path / "w.csv").write_bytes(result.content)
    report = verify_draw(
        tmp_path / "p.txt",
        drawn["seed"],
        drawn["commitment"],
        drawn["prizes"],
        tmp_path / "w.csv",
        entropy=drawn["entropy"],
        list_sha256=drawn["list_sha256"],
    )
    assert report.ok, report.problem
    won = {line.split(";")[0]: int(line.split(";")[1]) for line in result.text.splitlines()[1:]}
    rows = _rows(session, campaign_id)
    assert sorted(won.values()) == [1000, 5000]
    assert all(rows[p.id].main_prize == won.get(rows[p.id].key, 0) for p in people)

    # Nothing personal in any public answer.
    public = "".join([str(listed), str(campaign_json), listing.decode(), result.text, str(added.json())])
    for person in people:
        row = rows[person.id]
        for private in (row.code, person.phone, person.snils, person.last_name):
            assert private not in public
    # A draw of another campaign, or none at all, is not found.
    assert (
        client.get(f"{API}/campaigns/{campaign_id + 1}/draws/{main0['id']}/participants.txt").status_code
        == 404
    )
    assert client.get(f"{API}/campaigns/{campaign_id + 1}").json()["detail"] == "Акция не найдена."


def test_me_for_guests_and_citizens(client, clock, engine, session, now):
    lonely = make_user(session)
    assert client.get(f"{API}/me", headers=bearer(session, lonely.id, now)).json() == {
        "detail": "Сейчас акций нет."
    }
    campaign_id, _, geo = make_campaign(engine, session)
    house = geo["house:Арбат"]
    anna, boris = make_citizen(session, house), make_citizen(session, house)
    minor = make_citizen(session, house, birth_date=date(2010, 1, 1))
    codes.issue_due_codes(engine, now=msk((2026, 8, 31), 12))
    clock["now"] = msk((2026, 9, 2), 12)

    guest = client.get(f"{API}/me")
    assert (guest.status_code, guest.json()["detail"]) == (401, "Войдите в систему, чтобы продолжить.")
    rows = _rows(session, campaign_id)
    mine = client.get(f"{API}/me", headers=bearer(session, anna.id, now)).json()
    assert mine["status"] == "eligible" and "Проголосуйте электронно" in mine["status_text"]
    assert (mine["code"], mine["key"]) == (rows[anna.id].code, rows[anna.id].key)
    assert mine["can_opt_out"] and not mine["can_opt_in"] and mine["can_choose_category"]
    assert mine["draw_on"] is None and mine["prize_points"] == 0
    theirs = client.get(
        f"{API}/me", params={"campaign_id": campaign_id}, headers=bearer(session, boris.id, now)
    )
    assert theirs.json()["code"] == rows[boris.id].code != rows[anna.id].code
    assert rows[anna.id].code not in theirs.text and rows[anna.id].key not in theirs.text
    young = client.get(f"{API}/me", headers=bearer(session, minor.id, now)).json()
    assert young["status"] == "not_eligible" and "совершеннолетние" in young["status_text"]
    assert (young["code"], young["key"], young["can_opt_out"]) == ("", "", False)
    missing = client.get(
        f"{API}/me", params={"campaign_id": campaign_id + 1}, headers=bearer(session, anna.id, now)
    )
    assert (missing.status_code, missing.json()["detail"]) == (404, "Акция не найдена.")


def test_opt_out_and_back_at_the_minute_over_the_api(client, clock, engine, session, campaign, now):
    campaign_id, _, geo = campaign
    house = geo["house:Арбат"]
    person, other = make_citizen(session, house), make_citizen(session, house)
    outsider = make_citizen(session, house, passport=False)
    codes.issue_due_codes(engine, now=msk((2026, 8, 31), 12))
    headers = bearer(session, person.id, now)
    day = (2026, 9, 5)

    clock["now"] = msk(day, 22)
    out = client.post(
        f"{API}/me/opt-out", json={"campaign_id": campaign_id, "reason": "Не хочу"}, headers=headers
    )
    assert out.status_code == 200, out.text
    state = out.json()["state"]
    assert (state["status"], state["can_opt_out"], state["can_opt_in"]) == ("opted_out", False, True)
    again = client.post(f"{API}/me/opt-out", json={"campaign_id": campaign_id}, headers=headers)
    assert (again.status_code, again.json()["detail"]) == (409, "Вы уже отказались от участия.")
    assert _rows(session, campaign_id)[person.id].opt_out_reason == "Не хочу"

    clock["now"] = msk(day, 22, 59, 59)
    refusals = [
        ({"campaign_id": campaign_id}, "Некорректный запрос: не заполнено поле «accept_rules»."),
        ({"campaign_id": campaign_id, "accept_rules": "yes"}, None),
        (
            {"campaign_id": campaign_id, "accept_rules": True, "foo": 1},
            "Некорректный запрос: поле «foo» не предусмотрено.",
        ),
        (
            {"campaign_id": campaign_id, "accept_rules": False},
            "Чтобы стать участником акции, ознакомьтесь с порядком проведения и согласитесь с ним.",
        ),
    ]
    for body, detail in refusals:
        refused = client.post(f"{API}/me/opt-in", json=body, headers=headers)
        assert refused.status_code == 422, body
        assert detail is None or refused.json()["detail"] == detail
    assert _rows(session, campaign_id)[person.id].opted_out_at is not None
    back = client.post(
        f"{API}/me/opt-in", json={"campaign_id": campaign_id, "accept_rules": True}, headers=headers
    )
    assert back.status_code == 200 and back.json()["state"]["status"] == "eligible"

    clock["now"] = msk(day, 23, 59, 59)
    assert (
        client.post(f"{API}/me/opt-out", json={"campaign_id": campaign_id}, headers=headers).status_code
        == 200
    )
    clock["now"] = msk(day, 23, 0, 0)
    late = client.post(
        f"{API}/me/opt-in", json={"campaign_id": campaign_id, "accept_rules": True}, headers=headers
    )
    assert (late.status_code, late.json()["detail"]) == (409, "Срок отмены отказа от участия истёк.")
    clock["now"] = msk(day, 23, 30)
    mine = client.get(f"{API}/me", headers=headers).json()
    assert mine["status"] == "opted_out" and not mine["can_opt_in"]
    assert mine["notes"] == ["Срок отмены отказа истёк: отказ от участия остаётся в силе."]

    clock["now"] = msk((2026, 9, 6), 0, 0, 0)
    other_h = bearer(session, other.id, now)
    closed = client.post(f"{API}/me/opt-out", json={"campaign_id": campaign_id}, headers=other_h)
    assert (closed.status_code, closed.json()["detail"]) == (409, "Срок отказа от участия истёк.")
    assert _rows(session, campaign_id)[other.id].opted_out_at is None
    assert client.get(f"{API}/me", headers=other_h).json()["notes"] == [
        "Срок отказа от участия истёк: вы участник акции."
    ]

    guest = client.post(f"{API}/me/opt-out", json={"campaign_id": campaign_id})
    assert guest.status_code == 401
    clock["now"] = msk(day, 12)
    stranger = client.post(
        f"{API}/me/opt-out", json={"campaign_id": campaign_id}, headers=bearer(session, outsider.id, now)
    )
    assert stranger.status_code == 403 and "код вам не направлялся" in stranger.json()["detail"]
    long = client.post(
        f"{API}/me/opt-out", json={"campaign_id": campaign_id, "reason": "я" * 501}, headers=other_h
    )
    assert long.status_code == 422 and "500" in long.json()["detail"]
    assert _rows(session, campaign_id)[other.id].opted_out_at is None


def test_category_and_activation_over_the_api(client, clock, engine, session, campaign, now):
    campaign_id, staff_id, geo = campaign
    house = geo["house:Арбат"]
    first, second = make_citizen(session, house, full=True), make_citizen(session, house, full=True)
    codes.issue_due_codes(engine, now=msk((2026, 8, 31), 12))
    first_h, second_h = bearer(session, first.id, now), bearer(session, second.id, now)

    clock["now"] = msk((2026, 9, 1), 12)
    for forged in ("casino", "Спорт", ""):
        refused = client.post(
            f"{API}/me/category", json={"campaign_id": campaign_id, "category": forged}, headers=first_h
        )
        assert refused.status_code == 422 and "Категория не найдена" in refused.json()["detail"], forged
    assert _rows(session, campaign_id)[first.id].category == ""
    chosen = client.post(
        f"{API}/me/category", json={"campaign_id": campaign_id, "category": "sport"}, headers=first_h
    )
    assert chosen.status_code == 200, chosen.text
    assert (chosen.json()["state"]["category_name"], chosen.json()["state"]["can_choose_category"]) == (
        "Спорт",
        False,
    )
    change = client.post(
        f"{API}/me/category", json={"campaign_id": campaign_id, "category": "home"}, headers=first_h
    )
    assert (change.status_code, change.json()["detail"]) == (
        409,
        "Категория уже выбрана; изменить её нельзя.",
    )
    assert _rows(session, campaign_id)[first.id].category == "sport"
    early = client.post(
        f"{API}/me/activate", json={"campaign_id": campaign_id, "accept_rules": True}, headers=first_h
    )
    assert (early.status_code, early.json()["detail"]) == (
        403,
        "Вы не найдены в списке победителей состоявшихся розыгрышей.",
    )

    clock["now"] = msk((2026, 9, 6), 21)
    text = _vote_file(
        f"{first.snils};2026-09-06 12:00;online;no", f"{second.snils};2026-09-06 13:00;online;no"
    )
    assert _upload(client, campaign_id, text, bearer(session, staff_id, now)).json()["added"] == 2
    draws.due_draws(engine, now=msk((2026, 9, 7), 9, 30))

    clock["now"] = msk((2026, 9, 7), 10)
    mine = client.get(f"{API}/me", headers=first_h).json()
    assert mine["status"] == "winner" and mine["can_activate"] and mine["draw_on"] == "2026-09-07"
    assert mine["category_prize"] == 15000
    unaccepted = client.post(
        f"{API}/me/activate", json={"campaign_id": campaign_id, "accept_rules": False}, headers=first_h
    )
    assert unaccepted.status_code == 422 and "правилами получения приза" in unaccepted.json()["detail"]
    missing = client.post(f"{API}/me/activate", json={"campaign_id": campaign_id}, headers=first_h)
    assert missing.status_code == 422
    assert _rows(session, campaign_id)[first.id].activated_at is None
    done = client.post(
        f"{API}/me/activate", json={"campaign_id": campaign_id, "accept_rules": True}, headers=first_h
    )
    assert done.status_code == 200, done.text
    state = done.json()["state"]
    assert state["activated"] and state["prize_points"] == state["main_prize"] > 0
    assert state["discount_left"] == 15000 and state["can_exchange"] and state["can_choose_gift"]
    twice = client.post(
        f"{API}/me/activate", json={"campaign_id": campaign_id, "accept_rules": True}, headers=first_h
    )
    assert (twice.status_code, twice.json()["detail"]) == (409, "Код уже активирован.")
    assert _rows(session, campaign_id)[first.id].prize_points == state["main_prize"]

    clock["now"] = msk((2026, 9, 9), 12)
    closed = client.post(
        f"{API}/me/category", json={"campaign_id": campaign_id, "category": "home"}, headers=second_h
    )
    assert (closed.status_code, closed.json()["detail"]) == (
        409,
        "Регистрация на розыгрыш в отдельных категориях закрыта.",
    )
    clock["now"] = msk((2026, 10, 1), 0)
    after = client.post(
        f"{API}/me/activate", json={"campaign_id": campaign_id, "accept_rules": True}, headers=second_h
    )
    assert (after.status_code, after.json()["detail"]) == (409, "Срок активации выигрышных кодов истёк.")
    row = _rows(session, campaign_id)[second.id]
    assert (row.category, row.activated_at, row.prize_points) == ("", None, 0) and row.main_prize > 0


def test_staff_import_votes_over_the_api(client, clock, engine, session, campaign, now):
    campaign_id, staff_id, geo = campaign
    house = geo["house:Арбат"]
    people = [make_citizen(session, house) for _ in range(3)]
    resident = make_user(session)
    codes.issue_due_codes(engine, now=msk((2026, 8, 31), 12))
    staff_h = bearer(session, staff_id, now)
    clock["now"] = msk((2026, 9, 6), 21)
    good = _vote_file(
        f"{people[0].snils};2026-09-06 20:00:59;online;yes",
        f"{people[1].phone};2026-09-06 20:01:00;terminal;no",
        "+79990000000;2026-09-06 12:00;online;no",
    )

    # A resident and a guest are refused and nothing changes.
    forbidden = _upload(client, campaign_id, good, bearer(session, resident.id, now))
    assert (forbidden.status_code, forbidden.json()["detail"]) == (
        403,
        "Недостаточно прав для этого действия.",
    )
    assert _upload(client, campaign_id, good, {}).status_code == 401
    assert all(row.voted_at is None for row in _rows(session, campaign_id).values())

    # A malformed file is refused whole, naming its lines; nothing changes.
    bad = _vote_file(
        f"{people[2].snils};2026-09-06 12:00;online;no",
        f"{people[0].snils};вчера;online;no",
        f"{people[1].phone};2026-09-06 12:00;pigeon;no",
    )
    refused = _upload(client, campaign_id, bad, staff_h)
    assert refused.status_code == 422
    detail = refused.json()["detail"]
    assert "Строк с ошибками: 2" in detail and "Строка 3:" in detail and "Строка 4:" in detail
    assert "Строка 2:" not in detail
    assert all(row.voted_at is None for row in _rows(session, campaign_id).values())
    assert _upload(client, campaign_id, "person;voted_at\n", staff_h).status_code == 422
    not_utf8 = _upload(client, campaign_id, good.encode("cp1251") + "ё".encode("cp1251"), staff_h)
    assert (not_utf8.status_code, not_utf8.json()["detail"]) == (
        422,
        "Файл голосов должен быть в кодировке UTF-8.",
    )
    empty = client.post(f"{API}/campaigns/{campaign_id}/votes", files={"other": ("x", b"1")}, headers=staff_h)
    assert empty.status_code == 422 and "Приложите файл голосов" in empty.json()["detail"]
    assert all(row.voted_at is None for row in _rows(session, campaign_id).values())

    # A good file: the report lists the rows matching no account; the same file again changes nothing.
    report = _upload(client, campaign_id, good, staff_h)
    assert report.status_code == 200, report.text
    body = report.json()
    assert (body["rows"], body["added"], body["unchanged"], body["unmatched"]) == (3, 2, 0, [4])
    assert body["refused"] == ["Не найдена учётная запись на платформе (строки: 4)."]
    rows = _rows(session, campaign_id)
    assert (rows[people[0].id].main_window, rows[people[1].id].main_window) == (0, 1)
    assert rows[people[2].id].voted_at is None
    again = _upload(client, campaign_id, "\ufeff" + good, staff_h, as_form=False).json()
    assert (again["added"], again["unchanged"], again["unmatched"]) == (0, 2, [4])
    mine = client.get(f"{API}/me", headers=bearer(session, people[0].id, now)).json()
    assert mine["status"] == "participant" and mine["draw_on"] == "2026-09-07"
    assert (
        client.post(
            f"{API}/campaigns/{campaign_id + 1}/votes", content=good.encode(), headers=staff_h
        ).status_code
        == 404
    )


@pytest.mark.parametrize("hostile", ["١٢", "²", "-1", "0", "9223372036854775808", "2147483648", "1e3"])
def test_hostile_ids_are_refused(client, session, campaign, now, hostile):
    campaign_id, staff_id, _ = campaign
    headers = bearer(session, staff_id, now)
    for url in (
        f"{API}/campaigns/{hostile}",
        f"{API}/campaigns/{campaign_id}/draws/{hostile}/participants.txt",
        f"{API}/campaigns/{hostile}/draws/1/winners.csv",
    ):
        response = client.get(url)
        assert response.status_code == 422 and "целое число" in response.json()["detail"], url
    me = client.get(f"{API}/me", params={"campaign_id": hostile}, headers=headers)
    assert me.status_code == 422 and "«campaign_id»" in me.json()["detail"]
    body = client.post(f"{API}/me/opt-out", json={"campaign_id": hostile}, headers=headers)
    assert body.status_code == 422 and "«campaign_id»" in body.json()["detail"]
    upload = client.post(f"{API}/campaigns/{hostile}/votes", content=b"x", headers=headers)
    assert upload.status_code == 422 and "«campaign_id»" in upload.json()["detail"]


def test_vote_files_up_to_20_mb_other_bodies_up_to_1_mb(client, clock, engine, session, campaign, now):
    campaign_id, staff_id, geo = campaign
    person = make_citizen(session, geo["house:Арбат"])
    codes.issue_due_codes(engine, now=msk((2026, 8, 31), 12))
    staff_h = bearer(session, staff_id, now)
    clock["now"] = msk((2026, 9, 6), 21)
    # 2 MB: over the 1 MB of other routes; blank lines are skipped but counted.
    padded = HEADER + "\n" * (2 * 1024 * 1024) + f"{person.snils};2026-09-06 12:00;online;no\n"
    assert len(padded.encode()) > 2 * 1024 * 1024
    report = _upload(client, campaign_id, padded, staff_h, as_form=False)
    assert report.status_code == 200, report.text[:300]
    assert (report.json()["rows"], report.json()["added"]) == (1, 1)
    assert _rows(session, campaign_id)[person.id].main_window == 0
    huge = client.post(
        f"{API}/campaigns/{campaign_id}/votes",
        content=b"\n" * (20 * 1024 * 1024 + 64 * 1024 + 1),
        headers={**staff_h, "Content-Type": "text/csv"},
    )
    assert (huge.status_code, huge.json()["detail"]) == (413, "Запрос слишком большой: не больше 20 МБ.")
    big_json = client.post(
        f"{API}/me/opt-out",
        json={"campaign_id": campaign_id, "reason": "я" * 600_000},
        headers=bearer(session, person.id, now),
    )
    assert big_json.status_code == 413 and "1 МБ" in big_json.json()["detail"]
    assert _rows(session, campaign_id)[person.id].opted_out_at is None


def test_twenty_concurrent_opt_outs_change_the_state_once(client, clock, engine, session, campaign, now):
    from concurrent.futures import ThreadPoolExecutor

    campaign_id, _, geo = campaign
    person = make_citizen(session, geo["house:Арбат"])
    codes.issue_due_codes(engine, now=msk((2026, 8, 31), 12))
    headers = bearer(session, person.id, now)
    clock["now"] = msk((2026, 9, 5), 12)

    def press(n: int):
        body = {"campaign_id": campaign_id, "reason": f"Причина {n}"}
        return client.post(f"{API}/me/opt-out", json=body, headers=headers)

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(press, range(20)))
    codes_seen = sorted(a.status_code for a in answers)
    assert codes_seen == [200] + [409] * 19, codes_seen
    winner = next(a for a in answers if a.status_code == 200)
    row = _rows(session, campaign_id)[person.id]
    assert row.opted_out_at is not None and winner.json()["state"]["status"] == "opted_out"
    assert {a.json()["detail"] for a in answers if a.status_code == 409} == {"Вы уже отказались от участия."}
    assert row.opt_out_reason.startswith("Причина ")
