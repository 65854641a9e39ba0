"""Sizes the platform accepts from a client (README «Hostile input and limits»)."""

MB = 1024 * 1024
# Any request body (API JSON, forms, websocket messages).
BODY_LIMIT_BYTES = 1 * MB
# A file uploaded by staff (registry CSV) through the upload endpoint.
UPLOAD_LIMIT_BYTES = 20 * MB
# Text pasted into a form travels in one websocket message (at most BODY_LIMIT_BYTES): Cyrillic takes
# two bytes a character, so a paste is cut at this many characters; larger files are uploaded.
PASTE_LIMIT_CHARS = 400_000
# Room for the multipart envelope (boundaries, part headers) around an uploaded file.
UPLOAD_ENVELOPE_BYTES = 64 * 1024


def megabytes(size: int) -> str:
    """``size`` in whole megabytes for a Russian message, e.g. «20 МБ»."""
    return f"{size // MB} МБ"
