"""Demo polls carry an illustration that exists in ``assets/`` and matches their topic."""

from pathlib import Path

from ag_app.seed.catalogue import CITY, TERRITORIAL, poll_image

ASSETS = Path(__file__).resolve().parents[2] / "assets"


def test_every_demo_poll_has_an_existing_illustration():
    for template in CITY + TERRITORIAL:
        address = poll_image(template.title)
        assert address.startswith("/poll-images/"), template.title
        assert (ASSETS / address.lstrip("/")).is_file(), address


def test_the_illustration_follows_the_topic_of_the_title():
    assert poll_image("Каким должен быть школьный день?") == "/poll-images/school.svg"
    assert poll_image("Какие маршруты речных электросудов нужны городу?") == "/poll-images/transport.svg"
    assert poll_image("Где оборудовать площадки для выгула собак?") == "/poll-images/park.svg"
    assert poll_image("Какие указатели нужны пешеходам?") == "/poll-images/city.svg"
