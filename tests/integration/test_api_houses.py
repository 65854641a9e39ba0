"""``GET /api/v1/houses?address=…``: houses found by address, their premises totals, no personal data."""

from sqlmodel import Session

from ag_app.db import transaction
from ag_app.models import House, Street
from ag_app.seed.geo import DATA_DIR
from ag_app.services.house_registry import import_house_registry
from tests.factories import make_geo

SAMPLE = (DATA_DIR / "houses_sample.csv").read_text(encoding="utf-8")


def _load(engine, session: Session) -> dict[str, int]:
    ids = make_geo(session)
    with transaction(engine) as s:
        import_house_registry(s, actor_id=None, text=SAMPLE, operator=True)
    return ids


def test_a_house_is_found_by_street_and_number_in_any_case(client, engine, session):
    ids = _load(engine, session)

    response = client.get("/api/v1/houses", params={"address": "УЛИЦА арбат, д. 1"})

    assert response.status_code == 200
    assert response.json() == [
        {
            "id": ids["house:Арбат"],
            "address": "улица Арбат, д. 1",
            "district": "Арбат",
            "okrug": "ЦАО",
            "apartments": 4,
            "non_residential": 1,
            "total_area_m2": "337.25",
        }
    ]


def test_no_personal_data_in_the_answer(client, engine, session):
    _load(engine, session)

    body = client.get("/api/v1/houses", params={"address": "Арбат"}).text

    for private in ("Орлова", "Белов", "7700000011", "77:01:0001001", "R-0001", "1979", "аптека"):
        assert private not in body


def test_words_match_street_or_district_and_the_number_must_fit(client, engine, session):
    _load(engine, session)
    found = client.get("/api/v1/houses", params={"address": "новая басманная 10"}).json()
    assert [(h["address"], h["district"], h["apartments"]) for h in found] == [
        ("Новая Басманная улица, д. 10", "Басманный", 3)
    ]
    # A district's name finds its houses; houses without premises count zero.
    by_district = client.get("/api/v1/houses", params={"address": "басманный"}).json()
    assert {h["address"] for h in by_district} == {"улица Басманный, д. 1", "Новая Басманная улица, д. 10"}
    empty_house = next(h for h in by_district if h["address"] == "улица Басманный, д. 1")
    assert (empty_house["apartments"], empty_house["non_residential"], empty_house["total_area_m2"]) == (
        0,
        0,
        "0.00",
    )
    assert client.get("/api/v1/houses", params={"address": "Арбат 2"}).json() == []
    assert client.get("/api/v1/houses", params={"address": "Тверская"}).json() == []


def test_house_numbers_match_whole_numbers_and_results_are_limited(client, engine, session):
    ids = _load(engine, session)
    with transaction(engine) as s:
        street = Street(district_id=ids["Раменки"], name="Мичуринский проспект")
        s.add(street)
        s.flush()
        for n in range(1, 31):
            s.add(House(street_id=street.id, district_id=ids["Раменки"], number=str(n)))
        s.add(House(street_id=street.id, district_id=ids["Раменки"], number="12к2"))
        s.add(House(street_id=street.id, district_id=ids["Раменки"], number="99", status="pending"))

    twelve = client.get("/api/v1/houses", params={"address": "Мичуринский 12"}).json()
    assert [h["address"] for h in twelve] == ["Мичуринский проспект, д. 12", "Мичуринский проспект, д. 12к2"]
    many = client.get("/api/v1/houses", params={"address": "мичуринский"}).json()
    assert len(many) == 20
    assert [h["address"] for h in many[:3]] == [f"Мичуринский проспект, д. {n}" for n in (1, 2, 3)]
    # A house entered by a resident and not yet checked by staff is not listed.
    assert client.get("/api/v1/houses", params={"address": "мичуринский 99"}).json() == []


def test_a_too_short_query_is_refused(client, engine, session):
    _load(engine, session)

    response = client.get("/api/v1/houses", params={"address": " 1 "})

    assert response.status_code == 422
    assert response.json() == {"detail": "Введите хотя бы 3 символа адреса."}
    assert client.get("/api/v1/houses").status_code == 422
