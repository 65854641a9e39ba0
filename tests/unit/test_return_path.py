"""After logging in from a protected page the user returns there — only ever to a local path."""

import pytest

from ag_app.domain.return_path import login_path, safe_return_path


@pytest.mark.parametrize(
    "path",
    ["/profile", "/polls/11", "/polls/11?tab=results", "/award/results#top", "/staff/polls/3/edit", "/"],
)
def test_local_paths_are_kept(path):
    assert safe_return_path(path) == path


@pytest.mark.parametrize(
    "path",
    [
        None,
        "",
        "https://evil.example/polls",
        "//evil.example/polls",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "polls/11",
        "/%2F%2Fevil.example",
        "/%5Cevil.example",
        "/polls/%0d%0aSet-Cookie:x=1",
        "/polls /11",
        "/login",
        "/login/?next=/login",
        "/" + "a" * 600,
    ],
)
def test_other_sites_and_odd_paths_are_refused(path):
    assert safe_return_path(path) is None


def test_the_login_link_carries_only_a_safe_return_path():
    assert login_path("/polls/11?tab=results") == "/login?next=%2Fpolls%2F11%3Ftab%3Dresults"
    assert login_path("https://evil.example/") == "/login"
    assert login_path(None) == "/login"
