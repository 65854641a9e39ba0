"""The site has a favicon: the brand-red «АГ» square in assets/ (served from the site root), linked
from every page's head."""

from PIL import Image

from ag_app.settings import ROOT

ASSETS = ROOT / "assets"


def test_the_favicon_files_exist_and_are_images():
    with Image.open(ASSETS / "favicon.ico") as icon:
        assert icon.format == "ICO" and (32, 32) in icon.info["sizes"]
        red, green, blue, _ = icon.convert("RGBA").getpixel((16, 2))
        assert (red, green, blue) == (0xB3, 0x26, 0x1E)
    svg = (ASSETS / "favicon.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "viewBox" in svg and "#b3261e" in svg and ">АГ<" in svg


def test_every_page_head_links_the_favicon():
    from ag_app.ag_app import app

    links = {
        (str(c.href).strip('"'), str(c.type).strip('"') if c.type is not None else "")
        for c in app.head_components
        if getattr(c, "tag", "") == "link"
    }
    assert links == {("/favicon.svg", "image/svg+xml"), ("/favicon.ico", "")}
    assert all((ASSETS / href.lstrip("/")).is_file() for href, _ in links)
