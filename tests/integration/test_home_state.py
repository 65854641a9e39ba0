"""The public home page hides every count under 5 (SPEC §5.4), like «Статистика» does."""

import asyncio

from ag_app.state.home import HomeState
from tests.factories import make_user
from tests.integration.tabs import browser_tab


def _figures(session) -> dict[str, str]:
    tab = browser_tab(session, None)
    home = tab.substates[HomeState.get_name()]
    asyncio.run(HomeState.load.fn(home))
    assert home.error == ""
    return {f["id"]: f["value"] for f in home.figures}


def test_small_counts_of_people_show_as_under_five(app_engine, session):
    """People (citizens, opinions) under 5 are hidden; polls and decisions identify nobody."""
    for _ in range(3):
        make_user(session)
    session.commit()
    figures = _figures(session)
    assert figures == {
        "stat-citizens": "<5",
        "stat-polls": "0",
        "stat-decisions": "0",
        "stat-opinions": "<5",
    }
