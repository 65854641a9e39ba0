"""The QR code of a receipt read from a resident's photo (SPEC §11, issue 14: «Мои чеки», upload a photo).

Every cheap check comes before any heavy work: the size of the upload (at most 10 MB), the file
type by its magic bytes and by Pillow's format (JPEG or PNG only), and the image dimensions read
from the header alone (Pillow opens lazily): more than :data:`MAX_PIXELS` pixels or a side longer
than :data:`MAX_SIDE` is refused before a single pixel is decompressed, so a decompression bomb
(a few kilobytes of PNG that inflate to gigabytes) costs nothing. Pillow's own
``DecompressionBombError``/``DecompressionBombWarning`` give the same refusal.

Then the photo is decoded at a bounded size (a JPEG straight to grayscale at 1/2, 1/4 or 1/8 scale
by the JPEG decoder itself), turned upright by its EXIF orientation, flattened onto white when it is
transparent, converted to grayscale, shrunk to :data:`DECODE_SIDE` pixels on the longest side and
handed to zxing-cpp restricted to QR codes (any rotation, several scales, inverted codes too).

Privacy: everything happens in memory. Nothing is written to disk, nothing is logged about the
contents, and neither the photo bytes nor its EXIF (time, place, camera) are kept after the call:
only the decoded text is returned.
"""

import io
import struct
import threading
import warnings
import zlib

import zxingcpp
from PIL import Image, ImageOps

from ag_app.domain import numfmt
from ag_app.domain.errors import InvalidInput

# Largest upload accepted (SPEC §11: JPEG/PNG up to 10 MB).
MAX_PHOTO_BYTES = 10 * 1024 * 1024
# Largest image decoded: 40 megapixels (a 48 MP phone photo is 8000x6000 = 48 MP and is refused;
# the usual 12 MP photos pass), and no side longer than 10 000 pixels.
MAX_PIXELS = 40_000_000
MAX_SIDE = 10_000
# Photos are shrunk to this longest side before the QR search: a receipt QR code filling a tenth
# of the frame still has several pixels per module, and the search stays fast.
DECODE_SIDE = 2000

_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")
# What Pillow may open: its JPEG plugin also answers "MPO" for multi-picture JPEGs from cameras.
_OPEN_FORMATS = ("JPEG", "PNG")
_FORMATS = frozenset({"JPEG", "MPO", "PNG"})
# What a broken or hostile file makes Pillow raise while reading its header or its pixels.
_UNREADABLE = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error, zlib.error)
# ``warnings.catch_warnings`` changes process-wide state: one header at a time (microseconds; the
# pixels are decoded outside the lock) turns Pillow's decompression-bomb warning into an error. Should another thread's warning filters win the race,
# the warning is only printed and the pixel budget below still refuses the image.
_WARNINGS_LOCK = threading.Lock()


def read_qr_photo(data: bytes) -> str:
    """The text of the first QR code found in a JPEG or PNG photo.

    Args:
        data: The uploaded file as it came; it is neither stored nor logged.

    Returns:
        The decoded text of the first QR code (left to right, top to bottom).

    Raises:
        InvalidInput: ``contest.photo_too_big`` over :data:`MAX_PHOTO_BYTES`;
            ``contest.photo_not_image`` not a readable JPEG or PNG;
            ``contest.photo_too_large_pixels`` over the pixel budget or a side over :data:`MAX_SIDE`
            (decompression bombs included), all refused before the pixels are decoded;
            ``contest.photo_no_qr`` no QR code found.
    """
    if len(data) > MAX_PHOTO_BYTES:
        raise InvalidInput("contest.photo_too_big", limit_mb=MAX_PHOTO_BYTES // (1024 * 1024))
    if not data.startswith(_MAGIC):
        raise InvalidInput("contest.photo_not_image")
    image = _open_header(data)
    try:
        picture = _upright_grayscale(image)
    finally:
        image.close()
    return _decode(picture)


def _too_large() -> InvalidInput:
    return InvalidInput(
        "contest.photo_too_large_pixels",
        megapixels=MAX_PIXELS // 1_000_000,
        side=numfmt.num(MAX_SIDE),
    )


def _open_header(data: bytes) -> Image.Image:
    """The lazily opened image (only its header read) once its type and dimensions are acceptable."""
    try:
        with _WARNINGS_LOCK, warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=_OPEN_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_large() from None
    except _UNREADABLE:
        raise InvalidInput("contest.photo_not_image") from None
    width, height = image.size
    if image.format not in _FORMATS or width < 1 or height < 1:
        image.close()
        raise InvalidInput("contest.photo_not_image")
    if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
        image.close()
        raise _too_large()
    return image


def _upright_grayscale(image: Image.Image) -> Image.Image:
    """The photo's pixels, upright by its EXIF orientation, in grayscale, at most DECODE_SIDE long."""
    width, height = image.size
    if image.format in ("JPEG", "MPO") and max(width, height) > DECODE_SIDE:
        # Let the JPEG decoder itself produce grayscale at 1/2, 1/4 or 1/8 of the size (never
        # below DECODE_SIDE on the longest side): a 12 MP photo costs a quarter of its pixels.
        ratio = max(width, height) / DECODE_SIDE
        image.draft("L", (max(1, int(width / ratio)), max(1, int(height / ratio))))
    try:
        image.load()  # the size is known to be within the budget: no lock needed here
        picture = _flatten(image)
        picture.thumbnail((DECODE_SIDE, DECODE_SIDE), Image.Resampling.LANCZOS)
        # The orientation tag travels with the image info through the conversions above; turning
        # the small picture is cheaper than turning the full one.
        return ImageOps.exif_transpose(picture)
    except Image.DecompressionBombError:
        raise _too_large() from None
    except _UNREADABLE:
        raise InvalidInput("contest.photo_not_image") from None


def _flatten(image: Image.Image) -> Image.Image:
    """Grayscale pixels; transparent parts become white paper (not black) as on a screen."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        flat = Image.alpha_composite(paper, rgba).convert("L")
        flat.info = dict(image.info)
        return flat
    return image.convert("L")


def _decode(picture: Image.Image) -> str:
    """The text of the first QR code zxing-cpp finds in any rotation, scale or inversion."""
    found = zxingcpp.read_barcodes(
        picture, formats=zxingcpp.BarcodeFormat.QRCode, try_rotate=True, try_downscale=True, try_invert=True
    )
    for code in found:
        if code.valid and code.text:
            return code.text
    raise InvalidInput("contest.photo_no_qr")
