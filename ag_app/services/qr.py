"""QR codes as SVG data URIs, drawn on the server (segno: pure Python, nothing fetched at run time)."""

import segno

# Longest text a QR code is drawn for (certificate codes and order numbers are far shorter).
MAX_TEXT = 200


def svg_data_uri(text: str, *, scale: int = 6) -> str:
    """The QR code of ``text`` as a ``data:image/svg+xml`` URI (black on white, 4-module quiet zone).

    Args:
        text: What the code encodes; empty text or text longer than :data:`MAX_TEXT` gives "".
        scale: Pixels per module.

    Returns:
        The data URI, or "" when there is nothing to encode.
    """
    if not text or len(text) > MAX_TEXT:
        return ""
    return segno.make(text, error="m").svg_data_uri(scale=scale, dark="#000", light="#fff", border=4)
