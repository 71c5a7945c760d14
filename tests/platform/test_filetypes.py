"""File types are decided by content and extension together (``competency_plugin.platform.filetypes``)."""
import pytest

from competency_plugin.platform import filetypes
from tests.factories import HTML_PAGE, JPEG_BYTES, PDF_BYTES, SVG_IMAGE, TEXT_BYTES, office_bytes, png_bytes

ALL_KINDS = tuple(filetypes.KINDS)

MEDIA = {
    "mp3": (b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\x00" * 64, "audio/mpeg"),
    "m4a": (b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00M4A mp42isom" + b"\x00" * 32, "audio/mp4"),
    "ogg": (b"OggS\x00\x02" + b"\x00" * 22 + b"\x01\x1evorbis" + b"\x00" * 32, "audio/ogg"),
    "wav": (b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 32, "audio/x-wav"),
    "mp4": (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 32, "video/mp4"),
    "mov": (b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  " + b"\x00" * 32, "video/quicktime"),
}


@pytest.mark.parametrize(
    "content, name, mime_type",
    [
        (png_bytes(), "photo.png", "image/png"),
        (png_bytes(), "PHOTO.PNG", "image/png"),
        (JPEG_BYTES, "tableau.jpg", "image/jpeg"),
        (JPEG_BYTES, "tableau.jpeg", "image/jpeg"),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "anim.gif", "image/gif"),
        (PDF_BYTES, "fiche.pdf", "application/pdf"),
        (office_bytes("docx"), "fiche.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (office_bytes("xlsx"), "notes.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (office_bytes("pptx"), "cours.pptx",
         "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
        (office_bytes("odt"), "fiche.odt", "application/vnd.oasis.opendocument.text"),
        (office_bytes("ods"), "notes.ods", "application/vnd.oasis.opendocument.spreadsheet"),
        (office_bytes("odp"), "cours.odp", "application/vnd.oasis.opendocument.presentation"),
        (TEXT_BYTES, "notes.txt", "text/plain"),
        (b"eleve;note\nAmina;15\n", "notes.csv", "text/plain"),
        (b"# Titre\n\nUn paragraphe.\n", "notes.md", "text/plain"),
        ("Réflexion : ".encode("cp1252") * 3, "reflexion.txt", "text/plain"),
        *((content, f"media.{ext}", mime) for ext, (content, mime) in MEDIA.items()),
    ],
)
def test_accepted_files(content, name, mime_type):
    assert filetypes.check_file_type(content[: filetypes.HEADER_SIZE], name, ALL_KINDS) == mime_type


@pytest.mark.parametrize(
    "content, name",
    [
        (HTML_PAGE, "photo.png"),  # a page renamed as an image
        (HTML_PAGE, "page.txt"),  # markup is never plain text
        (b"\n  <html><body>x</body></html>", "notes.txt"),
        (b"\xef\xbb\xbf<!doctype html><p>x</p>", "notes.txt"),
        (SVG_IMAGE, "image.png"),
        (SVG_IMAGE, "image.svg"),
        (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', "image.txt"),
        (b"<script>alert(1)</script>", "notes.md"),
        (png_bytes(), "doc.pdf"),  # the wrong extension for the content
        (PDF_BYTES, "photo.png"),
        (JPEG_BYTES, "photo.png"),
        (office_bytes("docx"), "fiche.odt"),
        (TEXT_BYTES, "notes.pdf"),
        (b"PK\x03\x04" + b"\x00" * 40, "archive.zip"),  # not an allowed kind
        (b"MZ\x90\x00" + b"\x00" * 60, "setup.exe"),
        (b"MZ\x90\x00" + b"\x00" * 60, "setup.txt"),
        (b"\x00\x01\x02\x03binary", "data.txt"),  # not text
        (TEXT_BYTES, "notes"),  # no extension
        (b"", "empty.txt"),
    ],
)
def test_refused_files(content, name):
    assert filetypes.check_file_type(content, name, ALL_KINDS) is None


def test_kinds_restrict_what_is_accepted():
    assert filetypes.check_file_type(png_bytes(), "photo.png", ("pdf",)) is None
    assert filetypes.check_file_type(PDF_BYTES, "fiche.pdf", ("pdf",)) == "application/pdf"
    assert filetypes.check_file_type(png_bytes(), "photo.png", ("image", "unknown-kind")) == "image/png"
    assert filetypes.check_file_type(png_bytes(), "photo.png", ()) is None


def test_text_cut_inside_a_character_is_still_text():
    header = ("é" * (filetypes.HEADER_SIZE // 2)).encode("utf-8")[: filetypes.HEADER_SIZE - 1]
    assert filetypes.detect_mime_type(header) == "text/plain"


def test_invalid_bytes_early_in_utf8_like_text_are_not_text():
    assert filetypes.detect_mime_type(b"abc\x81\x8d\x8f\x90\x9d" + b"d" * 100) is None


@pytest.mark.parametrize(
    "filename, extension",
    [("photo.PNG", "png"), ("archive.tar.gz", "gz"), ("noextension", ""), (".bashrc", "bashrc"), ("a.", "")],
)
def test_extension_of(filename, extension):
    assert filetypes.extension_of(filename) == extension


def test_allowed_extensions():
    assert filetypes.allowed_extensions(["pdf"]) == ["pdf"]
    assert filetypes.allowed_extensions(["image", "pdf"]) == ["gif", "jpeg", "jpg", "pdf", "png", "webp"]
    assert filetypes.allowed_extensions(["nonsense"]) == []
    assert "svg" not in filetypes.allowed_extensions(ALL_KINDS)
    assert "html" not in filetypes.allowed_extensions(ALL_KINDS)
