"""
Which files learners may upload, decided by their content (magic bytes) and their extension.

A file is accepted only when the type detected from its first bytes belongs to an allowed
kind and its extension is one of that type's extensions: an HTML page renamed ``.png`` is
refused, and so is a PNG renamed ``.pdf``.
"""
import re

import filetype

HEADER_SIZE = 8192

# kind -> {MIME type detected from content: extensions accepted for it}
KINDS = {
    "pdf": {"application/pdf": ("pdf",)},
    "image": {
        "image/png": ("png",),
        "image/jpeg": ("jpg", "jpeg"),
        "image/gif": ("gif",),
        "image/webp": ("webp",),
    },
    "office": {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("docx",),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("xlsx",),
        "application/vnd.openxmlformats-officedocument.presentationml.presentation": ("pptx",),
        "application/vnd.oasis.opendocument.text": ("odt",),
        "application/vnd.oasis.opendocument.spreadsheet": ("ods",),
        "application/vnd.oasis.opendocument.presentation": ("odp",),
    },
    "text": {"text/plain": ("txt", "csv", "md")},
    "audio": {"audio/mpeg": ("mp3",), "audio/mp4": ("m4a",), "audio/ogg": ("ogg", "oga"), "audio/x-wav": ("wav",)},
    "video": {"video/mp4": ("mp4",), "video/webm": ("webm",), "video/quicktime": ("mov",)},
}

# Control characters that never appear in text (tab, line feed, form feed and carriage return do).
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Text that a browser could run or render as a document is never plain text.
_MARKUP_STARTS = (b"<!doctype", b"<html", b"<svg", b"<?xml", b"<script", b"<head", b"<body", b"<iframe")


def extension_of(filename):
    """Return the lower-case extension of ``filename`` without its dot ('' when it has none)."""
    _stem, dot, extension = filename.rpartition(".")
    return extension.lower() if dot else ""


def allowed_extensions(kinds):
    """Return the sorted extensions accepted for the given kinds."""
    return sorted({ext for kind in kinds for exts in KINDS.get(kind, {}).values() for ext in exts})


def _decode_windows_1252(header):
    """Decode text saved by Windows tools in Windows-1252 (Excel's French CSV); None when it is not such text."""
    try:
        text = header.decode("cp1252")
    except UnicodeDecodeError:
        return None
    return None if _CONTROL_CHARS.search(text) else text


def _looks_like_plain_text(header):
    if b"\x00" in header:
        return False
    try:
        text = header.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut by the header's end is still text.
        if error.start >= len(header) - 3:
            text = header[: error.start].decode("utf-8")
        else:
            text = _decode_windows_1252(header)
            if text is None:
                return False
    lowered = text.lstrip("\ufeff \t\r\n").lower().encode("utf-8")
    return not lowered.startswith(_MARKUP_STARTS)


def detect_mime_type(header):
    """Return the MIME type of a file from its first bytes, or None when it is not recognised."""
    if not header:
        return None
    guessed = filetype.guess(header)
    if guessed is not None:
        return guessed.mime
    if _looks_like_plain_text(header):
        return "text/plain"
    return None


def check_file_type(header, filename, kinds):
    """
    Return the MIME type to store for a file whose content starts with ``header``.

    Returns None when the content is not of an allowed kind or does not match the extension.
    """
    mime_type = detect_mime_type(header)
    extension = extension_of(filename)
    for kind in kinds:
        extensions = KINDS.get(kind, {}).get(mime_type)
        if extensions and extension in extensions:
            return mime_type
    return None
