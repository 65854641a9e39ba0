"""Who may vote in a territorial poll, as a sentence for people outside its territory."""

from collections.abc import Sequence

from ag_app.i18n import message


def _part(kind: str, names: Sequence[str]) -> str:
    key = f"poll.voters_{kind}_{'one' if len(names) == 1 else 'many'}"
    return message(key, names=", ".join(names)).removesuffix(".")


def who_may_vote(okrugs: Sequence[str], districts: Sequence[str]) -> str:
    """«Голосуют жители района Арбат.» — the okrugs and districts a poll is held in.

    One name takes the singular («района», «округа»), several the plural («районов», «округов»);
    okrugs come before districts. No territory at all (a city-wide poll) reads «Голосуют все москвичи».
    """
    okrugs = [name for name in okrugs if name]
    districts = [name for name in districts if name]
    if not okrugs and not districts:
        return message("poll.voters_city")
    if okrugs and districts:
        whom = message(
            "poll.voters_both", okrugs=_part("okrug", okrugs), districts=_part("district", districts)
        ).removesuffix(".")
    else:
        whom = _part("okrug", okrugs) if okrugs else _part("district", districts)
    return message("poll.voters", whom=whom)
