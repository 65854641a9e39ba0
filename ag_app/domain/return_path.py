"""Where the login page sends a user back to: a local path of this site, never another site."""

from urllib.parse import quote, unquote, urlsplit

LOGIN_PATH = "/login"
# Longer «next» values are refused rather than cut (a cut path would lead somewhere else).
RETURN_PATH_LIMIT = 500


def safe_return_path(raw: str | None) -> str | None:
    """``raw`` when it is a safe local path to return to after logging in, else None.

    Safe: starts with a single «/» (not «//» or «/\\», which browsers read as another host), has no
    scheme or host, no backslash, whitespace or control characters (also when percent-decoded),
    is at most :data:`RETURN_PATH_LIMIT` characters and is not the login page itself.
    """
    if not raw or len(raw) > RETURN_PATH_LIMIT:
        return None
    for text in (raw, unquote(raw)):
        if not text.startswith("/") or text.startswith(("//", "/\\")):
            return None
        if "\\" in text or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in text):
            return None
    parts = urlsplit(raw)
    if parts.scheme or parts.netloc:
        return None
    if parts.path.rstrip("/") == LOGIN_PATH:
        return None
    return raw


def login_path(return_to: str | None) -> str:
    """The login page, asked to send the user back to ``return_to`` if that is a safe local path."""
    path = safe_return_path(return_to)
    return LOGIN_PATH if path is None else f"{LOGIN_PATH}?next={quote(path, safe='')}"
