"""Free text people type and the platform stores (feedback, comments, titles, answers, names).

One rule for every service: surrounding blanks are stripped, and control characters are refused —
C0/C1 controls (NUL, ESC of terminal escape sequences, DEL, …) and the Unicode bidirectional
overrides and isolates (U+202A–U+202E, U+2066–U+2069, marks U+200E/U+200F/U+061C) that make text
display differently from what it says. Line breaks (LF, CR) and tabs are allowed. HTML and anything
that looks like SQL stays plain text (escaped when rendered, bound as a parameter).
"""

import re

from ag_app.domain.errors import InvalidInput

ALLOWED_CONTROLS = "\n\r\t"
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# C0 except tab/LF/CR, DEL, C1, the bidi controls, and the line/paragraph separators that break
# scripts and logs.
_FORBIDDEN = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029{BIDI_CONTROLS}]")


def has_control_chars(value: str) -> bool:
    """Whether ``value`` holds a character free text may not contain."""
    return _FORBIDDEN.search(value or "") is not None


def clean_text(value: str) -> str:
    """Free text as stored: surrounding blanks stripped; control characters are refused.

    Raises:
        InvalidInput: ``text.control_chars`` when the text holds a control character other than a
            line break or a tab.
    """
    text = (value or "").strip()
    if has_control_chars(text):
        raise InvalidInput("text.control_chars")
    return text
