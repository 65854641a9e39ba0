"""Receipt codes of ballots (SPEC §5.2).

A receipt code is an HMAC-SHA256 of the poll and the voter under the server secret, written as 16
Crockford base-32 characters in groups of four («K7QF-2MXA-9PRT-HC4D», 80 bits). The same voter
gets the same code in a poll every time and unrelated codes in different polls: without the secret
nobody can tell whether two codes belong to one person, so a leaked code reveals one ballot only.
"""

import hashlib
import hmac

# Crockford's alphabet: no I, L, O, U, so a code read aloud or retyped is unambiguous.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 16
GROUP = 4
# Letters people confuse with digits are read as those digits.
_CONFUSABLE = str.maketrans({"I": "1", "L": "1", "O": "0"})


def receipt_code(secret: bytes, poll_id: int, user_id: int) -> str:
    """The receipt code of ``user_id``'s ballot in ``poll_id``."""
    digest = hmac.new(secret, f"receipt:{poll_id}:{user_id}".encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest[:10], "big")
    chars = [ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(LENGTH))]
    return "-".join("".join(chars[i : i + GROUP]) for i in range(0, LENGTH, GROUP))


def normalize_receipt(text: str) -> str | None:
    """A pasted code in canonical form, or None when it cannot be a receipt code.

    Case, spaces and dashes do not matter; I/L read as 1 and O as 0.
    """
    compact = "".join(text.split()).replace("-", "").upper().translate(_CONFUSABLE)
    if len(compact) != LENGTH or any(ch not in ALPHABET for ch in compact):
        return None
    return "-".join(compact[i : i + GROUP] for i in range(0, LENGTH, GROUP))
