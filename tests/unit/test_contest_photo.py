"""A receipt's QR code is read from a photo; anything else is refused before any heavy work (issue 14)."""

import io
import re
import struct
import zlib
from pathlib import Path

import pytest
import segno
import zxingcpp
from PIL import Image, ImageChops, ImageDraw, ImageFile

from ag_app.domain.contest import SALE, parse_receipt_qr
from ag_app.domain.errors import InvalidInput
from ag_app.seed.contest_photos import make_receipt_photo
from ag_app.services.contest.photo import DECODE_SIDE, MAX_PHOTO_BYTES, read_qr_photo

ASSETS = Path(__file__).resolve().parents[2] / "assets" / "contest"
RECEIPT = "t=20261205T1412&s=1234.50&fn=9960440300012345&i=4821&fp=2874412093&n=1"


def _refusal(data: bytes) -> str:
    with pytest.raises(InvalidInput) as refused:
        read_qr_photo(data)
    return refused.value.key


def _encoded(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


@pytest.fixture
def decoder_input(monkeypatch: pytest.MonkeyPatch) -> list[Image.Image]:
    """Every picture handed to zxing-cpp (copied), the real decoder still answering."""
    seen: list[Image.Image] = []
    real = zxingcpp.read_barcodes

    def spy(image: Image.Image, **options: object) -> list[zxingcpp.Barcode]:
        seen.append(image.copy())
        return real(image, **options)

    monkeypatch.setattr(zxingcpp, "read_barcodes", spy)
    return seen


@pytest.fixture
def pixel_loads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """The size of every image whose pixels Pillow was asked to decode."""
    loads: list[tuple[int, int]] = []
    for cls in (Image.Image, ImageFile.ImageFile):
        real = cls.load

        def spy(self: Image.Image, _real=real) -> object:
            loads.append(self.size)
            return _real(self)

        monkeypatch.setattr(cls, "load", spy)
    return loads


# ------------------------------------------------------------------------------------- photos read


def _documented_assets() -> list[tuple[str, str]]:
    readme = (ASSETS / "README.md").read_text(encoding="utf-8")
    return re.findall(r"^- `([^`]+)` — .*: `([^`]+)`", readme, flags=re.MULTILINE)


def test_the_demo_photos_are_documented_and_small():
    documented = _documented_assets()
    assert sorted(name for name, _ in documented) == sorted(
        path.name for path in ASSETS.iterdir() if path.suffix in (".jpg", ".png")
    )
    assert len(documented) == 3
    assert sum(path.stat().st_size for path in ASSETS.iterdir()) < 1.5 * 1024 * 1024


@pytest.mark.parametrize(("name", "qr"), _documented_assets())
def test_a_demo_photo_decodes_to_its_documented_receipt(name, qr):
    text = read_qr_photo((ASSETS / name).read_bytes())
    assert text == qr
    receipt = parse_receipt_qr(text)
    assert receipt.operation == SALE
    assert (receipt.purchased_at.year, receipt.purchased_at.month) == (2026, 12)


@pytest.mark.parametrize(
    ("rotate", "blur", "noise", "fmt"),
    [
        (0.0, 0.0, 0.0, "PNG"),
        (7.0, 1.2, 0.07, "JPEG"),
        (-15.0, 2.0, 0.07, "JPEG"),
        (30.0, 1.2, 0.10, "JPEG"),
        (45.0, 1.0, 0.05, "PNG"),
        (90.0, 1.5, 0.07, "JPEG"),
        (183.0, 1.2, 0.07, "JPEG"),
    ],
)
def test_a_turned_blurred_grainy_photo_decodes(rotate, blur, noise, fmt):
    photo = make_receipt_photo(RECEIPT, rotate=rotate, blur=blur, noise=noise, fmt=fmt, size=(1000, 750))
    assert read_qr_photo(photo) == RECEIPT


def test_the_photo_generator_is_deterministic():
    assert make_receipt_photo(RECEIPT, size=(400, 300)) == make_receipt_photo(RECEIPT, size=(400, 300))
    assert make_receipt_photo(RECEIPT, size=(400, 300)) != make_receipt_photo(
        RECEIPT, size=(400, 300), seed=1
    )


# EXIF orientation → how the stored pixels are turned from the upright picture (the inverse of
# what a viewer, and ImageOps.exif_transpose, do to show it upright).
STORED_TURN = {
    3: Image.Transpose.ROTATE_180,
    6: Image.Transpose.ROTATE_90,
    8: Image.Transpose.ROTATE_270,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
}


@pytest.mark.parametrize(
    ("orientation", "fmt"), [(6, "PNG"), (8, "PNG"), (3, "JPEG"), (6, "JPEG"), (2, "PNG")]
)
def test_a_photo_is_turned_upright_by_its_exif_orientation(orientation, fmt, decoder_input):
    upright = Image.open(io.BytesIO(make_receipt_photo(RECEIPT, rotate=5.0, size=(900, 600), fmt="PNG")))
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    stored = _encoded(upright.transpose(STORED_TURN[orientation]), fmt, exif=exif.tobytes())

    assert read_qr_photo(stored) == RECEIPT
    (seen,) = decoder_input
    assert seen.mode == "L"
    assert seen.size == (900, 600)
    difference = ImageChops.difference(seen, upright.convert("L"))
    assert max(difference.histogram()[40:]) < 900 * 600 // 100  # the same picture, give or take JPEG


def test_a_large_photo_is_shrunk_and_grey_before_the_search(decoder_input):
    photo = make_receipt_photo(RECEIPT, size=(3200, 2400))
    assert read_qr_photo(photo) == RECEIPT
    (seen,) = decoder_input
    assert seen.mode == "L"
    assert max(seen.size) <= DECODE_SIDE
    assert seen.size[0] / seen.size[1] == pytest.approx(3200 / 2400, rel=0.01)


def test_a_transparent_png_is_read_on_white():
    # Black modules on fully transparent black: flattened the wrong way the picture is all black.
    out = io.BytesIO()
    segno.make(RECEIPT, error="m").save(out, kind="png", scale=8, border=4)
    modules = Image.open(io.BytesIO(out.getvalue())).convert("L")
    cutout = Image.new("RGBA", modules.size, (0, 0, 0, 0))
    cutout.putalpha(ImageChops.invert(modules))
    assert read_qr_photo(_encoded(cutout, "PNG")) == RECEIPT
    assert read_qr_photo(_encoded(cutout.convert("LA"), "PNG")) == RECEIPT


def test_a_photo_of_exactly_the_size_limit_is_read():
    photo = make_receipt_photo(RECEIPT, size=(800, 600))
    padded = photo + bytes(MAX_PHOTO_BYTES - len(photo))  # bytes after the JPEG end marker
    assert len(padded) == MAX_PHOTO_BYTES
    assert read_qr_photo(padded) == RECEIPT


# ---------------------------------------------------------------------------------------- refusals


def _paper(size: tuple[int, int] = (800, 600)) -> Image.Image:
    paper = Image.new("RGB", size, (240, 238, 232))
    draw = ImageDraw.Draw(paper)
    for row in range(40, size[1] - 40, 24):
        draw.rectangle((40, row, size[0] - 80, row + 8), fill=(90, 90, 90))
    return paper


def _receipt_qr_as(fmt: str) -> bytes:
    """A clean receipt QR code saved as ``fmt``: readable, but not a format this upload accepts."""
    out = io.BytesIO()
    segno.make(RECEIPT, error="m").save(out, kind="png", scale=8, border=4)
    return _encoded(Image.open(io.BytesIO(out.getvalue())).convert("L"), fmt)


@pytest.mark.parametrize(
    ("case", "make", "key"),
    [
        ("paper without a code, JPEG", lambda: _encoded(_paper(), "JPEG"), "contest.photo_no_qr"),
        ("paper without a code, PNG", lambda: _encoded(_paper(), "PNG"), "contest.photo_no_qr"),
        ("plain white", lambda: _encoded(Image.new("L", (640, 480), 255), "PNG"), "contest.photo_no_qr"),
        ("a text file", lambda: "Чек № 4821, сумма 1234.50\n".encode() * 20, "contest.photo_not_image"),
        ("empty", lambda: b"", "contest.photo_not_image"),
        (
            "a JPEG cut inside its header",
            lambda: (ASSETS / "receipt-shop.jpg").read_bytes()[:200],
            "contest.photo_not_image",
        ),
        (
            "a JPEG cut halfway",
            lambda: (ASSETS / "receipt-shop.jpg").read_bytes()[:120_000],
            "contest.photo_not_image",
        ),
        (
            "a PNG cut halfway",
            lambda: (ASSETS / "receipt-pharmacy.png").read_bytes()[:50_000],
            "contest.photo_not_image",
        ),
        (
            "a PNG signature and text",
            lambda: b"\x89PNG\r\n\x1a\n" + b"not a picture" * 10,
            "contest.photo_not_image",
        ),
        ("a GIF of a receipt QR", lambda: _receipt_qr_as("GIF"), "contest.photo_not_image"),
        (
            "a BMP of a receipt QR",
            lambda: _receipt_qr_as("BMP"),
            "contest.photo_not_image",
        ),
        (
            "a WebP photo of a receipt",
            lambda: _encoded(Image.open(io.BytesIO(make_receipt_photo(RECEIPT, size=(800, 600)))), "WEBP"),
            "contest.photo_not_image",
        ),
    ],
)
def test_what_is_not_a_receipt_photo_is_refused(case, make, key):
    assert _refusal(make()) == key, case


def test_the_refusals_read_as_russian_advice():
    assert "QR-код" in str(InvalidInput("contest.photo_no_qr"))
    assert "JPEG или PNG" in str(InvalidInput("contest.photo_not_image"))
    with pytest.raises(InvalidInput) as refused:
        read_qr_photo(_png_bomb(10_001, 100))
    assert "не больше 40 мегапикселей и 10\u00a0000 пикселей по длинной стороне" in str(refused.value)


def test_an_upload_over_10_mb_is_refused_unopened(monkeypatch):
    photo = make_receipt_photo(RECEIPT, size=(800, 600))
    oversized = photo + bytes(MAX_PHOTO_BYTES + 1 - len(photo))

    def must_not_open(*args: object, **kwargs: object) -> Image.Image:
        raise AssertionError("Pillow opened an oversized upload")

    monkeypatch.setattr(Image, "open", must_not_open)
    with pytest.raises(InvalidInput) as refused:
        read_qr_photo(oversized)
    assert refused.value.key == "contest.photo_too_big"
    assert "10 МБ" in str(refused.value)


# --------------------------------------------------------------------------- decompression bombs


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _png_bomb(width: int, height: int) -> bytes:
    """A real black-and-white PNG of width x height: every row is zeros, so it packs to kilobytes."""
    row = bytes(1 + (width + 7) // 8)  # filter byte + 1 bit per pixel
    packer = zlib.compressobj(9)
    rows_per_chunk = max(1, 4_000_000 // len(row))
    parts = []
    for start in range(0, height, rows_per_chunk):
        parts.append(packer.compress(row * min(rows_per_chunk, height - start)))
    parts.append(packer.flush())
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", b"".join(parts))
        + _png_chunk(b"IEND", b"")
    )


def _jpeg_claiming(width: int, height: int) -> bytes:
    """A small real JPEG whose frame header (SOF0) claims width x height pixels."""
    data = bytearray(_encoded(Image.new("L", (16, 16), 200), "JPEG"))
    frame = data.index(b"\xff\xc0")
    data[frame + 5 : frame + 9] = struct.pack(">HH", height, width)
    return bytes(data)


@pytest.mark.parametrize(
    ("case", "make"),
    [
        ("PNG 30000x30000 (Pillow's own bomb error)", lambda: _png_bomb(30_000, 30_000)),
        ("PNG 10000x10000 (Pillow's bomb warning)", lambda: _png_bomb(10_000, 10_000)),
        ("PNG 8000x6000, over the 40 MP budget", lambda: _png_bomb(8_000, 6_000)),
        ("PNG 10001x100, a side over 10 000", lambda: _png_bomb(10_001, 100)),
        ("JPEG claiming 60000x60000", lambda: _jpeg_claiming(60_000, 60_000)),
        ("JPEG claiming 9000x6000", lambda: _jpeg_claiming(9_000, 6_000)),
    ],
)
def test_a_decompression_bomb_is_refused_before_its_pixels_are_decoded(case, make, pixel_loads):
    bomb = make()
    pixel_loads.clear()  # making the test file itself may decode a few pixels
    assert len(bomb) < 200 * 1024, case
    assert _refusal(bomb) == "contest.photo_too_large_pixels", case
    assert pixel_loads == [], case


def test_the_pixel_spy_sees_a_real_decode(pixel_loads):
    assert read_qr_photo((ASSETS / "receipt-pharmacy.png").read_bytes())
    assert pixel_loads


@pytest.mark.parametrize(("side", "pillow_says"), [(100, "error"), (40, "warning")])
def test_pillows_own_bomb_checks_give_the_same_refusal(side, pillow_says, monkeypatch, pixel_loads):
    # With Pillow's limit at 1 000 pixels, 40x40 makes it warn and 100x100 makes it raise; both
    # images are far below this module's own budget, so only Pillow's verdict can refuse them.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1_000)
    bomb = _png_bomb(side, side)
    pixel_loads.clear()
    assert _refusal(bomb) == "contest.photo_too_large_pixels", pillow_says
    assert pixel_loads == []
