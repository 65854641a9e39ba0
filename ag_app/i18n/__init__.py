"""The catalogue of Russian texts: errors, notifications and every text of the UI.

Every :class:`ag_app.domain.errors.DomainError` names a key of :data:`MESSAGES`; a unit test checks
that every key used in the code exists here. The texts live in one module per context (:mod:`.site`,
:mod:`.accounts`, :mod:`.polls`, :mod:`.house`, :mod:`.shop`, :mod:`.contest`, :mod:`.promo`,
:mod:`.award`, :mod:`.status`); :data:`MESSAGES` merges them and refuses a key defined twice when the
package is imported. A new key goes into the module of its context, in the block of its feature.
"""

from ag_app.i18n import accounts, award, contest, house, polls, promo, shop, site, status

# The modules of the catalogue, by context.
PARTS = (
    site,
    accounts,
    polls,
    house,
    shop,
    contest,
    promo,
    award,
    status,
)


class DuplicateKey(Exception):
    """Two catalogue modules define the same key."""


def _merge() -> dict[str, str]:
    merged: dict[str, str] = {}
    for part in PARTS:
        for key, text in part.MESSAGES.items():
            if key in merged:
                raise DuplicateKey(f"{key} is defined twice in the catalogue ({part.__name__})")
            merged[key] = text
    return merged


MESSAGES: dict[str, str] = _merge()


def label(key: str, **params: object) -> str:
    """The text of ``key`` as a heading, link, button or part of a line: without the sentence's final
    full stop, with ``params`` substituted."""
    template = MESSAGES[key].removesuffix(".")
    return template.format(**params) if params else template


def message(key: str, **params: object) -> str:
    """The Russian text of ``key`` with ``params`` substituted."""
    template = MESSAGES[key]
    return template.format(**params) if params else template


def status(family: str, value: str, *, heading: bool = False) -> str:
    """The one wording of status ``value`` of ``family`` (catalogue key ``status.<family>.<value>``).

    The catalogue holds it as it reads after its subject («голосование идёт»); ``heading`` capitalises
    the first letter for a badge, a column or a list («Идёт»).
    """
    text = label(f"status.{family}.{value}")
    return text[:1].upper() + text[1:] if heading else text


def statuses(family: str, *, heading: bool = False) -> dict[str, str]:
    """Every status of ``family`` with its wording, in catalogue order (see :func:`status`)."""
    prefix = f"status.{family}."
    values = [key.removeprefix(prefix) for key in MESSAGES if key.startswith(prefix)]
    return {value: status(family, value, heading=heading) for value in values}
