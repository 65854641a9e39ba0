"""The illustrations of the demo polls (``assets/poll-images``)."""

# The illustration of a demo poll (``assets/poll-images/*.svg``, served at ``/poll-images/…``): the first topic
# whose word stem occurs in the title, else the city view.
POLL_IMAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("school", ("школ",)),
    ("health", ("поликлиник",)),
    ("sport", ("трениров", "катк")),
    (
        "transport",
        ("электробус", "метро", "речн", "самокат", "велодорож", "парков", "«Тройка»", "пешеходной"),
    ),
    ("park", ("парк", "набережн", "экологическ", "собак", "вторсырь", "сквер")),
    ("culture", ("библиотек", "экскурси", "кружки", "фестивал", "День города", "оформлени", "веранд")),
)


def poll_image(title: str) -> str:
    """The address of the illustration shown on a demo poll's card and page."""
    lowered = title.lower()
    for name, stems in POLL_IMAGES:
        if any(stem.lower() in lowered for stem in stems):
            return f"/poll-images/{name}.svg"
    return "/poll-images/city.svg"
