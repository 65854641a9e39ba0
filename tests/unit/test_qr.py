"""QR codes of certificates are drawn on the server as SVG data URIs."""

from urllib.parse import unquote

from ag_app.services.qr import MAX_TEXT, svg_data_uri


def test_code_becomes_an_svg_data_uri():
    uri = svg_data_uri("7KQM-2XHV-P9DT")
    assert uri.startswith("data:image/svg+xml")
    svg = unquote(uri.split(",", 1)[1])
    assert svg.startswith("<svg") and "<path" in svg


def test_different_codes_give_different_pictures():
    assert svg_data_uri("7KQM-2XHV-P9DT") != svg_data_uri("7KQM-2XHV-P9DU")


def test_nothing_to_encode_gives_no_picture():
    assert svg_data_uri("") == ""
    assert svg_data_uri("A" * (MAX_TEXT + 1)) == ""
