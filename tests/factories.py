"""
factory_boy factories for the plugin's data, and helpers that snapshot the database and storage.

Tests compare snapshots taken before and after a failing request to prove that nothing was
written: no row added or changed, no file left in the attachment storage.
"""
import datetime
import io
import struct
import uuid
import zipfile
import zlib

import factory
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from factory.django import DjangoModelFactory
from opaque_keys.edx.keys import CourseKey

from competency_plugin.models import Attachment, AttachmentKind, Evidence, EvidenceStatus, SituationType
from competency_plugin.platform.storage import get_attachment_storage

COURSE_KEY = CourseKey.from_string("course-v1:edX+Portfolio+2026")
USAGE_KEY = COURSE_KEY.make_usage_key("portfolio", "situations")
OTHER_USAGE_KEY = COURSE_KEY.make_usage_key("portfolio", "other")


def usage_key(course, block="situations"):
    """Return the usage key (as text) of the portfolio block ``block`` of the course ``course``."""
    return f"block-v1:{str(course).split(':', 1)[1]}+type@portfolio+block@{block}"


class UserFactory(DjangoModelFactory):
    """A learner account."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"learner-{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")


class EvidenceFactory(DjangoModelFactory):
    """An evidence item complete enough to be submitted; a draft unless ``submitted=True``."""

    class Meta:
        model = Evidence

    class Params:
        submitted = factory.Trait(
            status=EvidenceStatus.SUBMITTED,
            version=1,
            submitted_at=factory.LazyFunction(timezone.now),
        )

    user = factory.SubFactory(UserFactory)
    course_key = COURSE_KEY
    usage_key = USAGE_KEY
    situation_type = SituationType.AUTHENTIC
    title = factory.Sequence(lambda n: f"Séance {n}")
    occurred_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
    description = "Une séance de géométrie avec des tablettes."
    analysis = "Les élèves ont manipulé ; la consigne était trop longue."


def _store(content, extension):
    """Save ``content`` in the attachment storage under a generated key; return the key."""
    key = f"competency-portfolio/{uuid.uuid4().hex}.{extension}"
    return get_attachment_storage().save(key, ContentFile(content))


class AttachmentFactory(DjangoModelFactory):
    """A file attachment whose content really is in the attachment storage."""

    class Meta:
        model = Attachment

    class Params:
        content = b"Compte rendu de la seance.\n"

    evidence = factory.SubFactory(EvidenceFactory)
    kind = AttachmentKind.FILE
    title = "compte-rendu.txt"
    content_type = "text/plain"
    size = factory.LazyAttribute(lambda attachment: len(attachment.content))
    file_key = factory.LazyAttribute(lambda attachment: _store(attachment.content, attachment.title.rsplit(".", 1)[-1]))


class LinkFactory(DjangoModelFactory):
    """A link attachment."""

    class Meta:
        model = Attachment

    evidence = factory.SubFactory(EvidenceFactory)
    kind = AttachmentKind.LINK
    title = "Ressource"
    url = factory.Sequence(lambda n: f"https://example.org/ressource/{n}")


def png_bytes(padding=0):
    """Return a valid 1x1 PNG image, optionally followed by ``padding`` bytes of trailing data."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    image = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x00\x00\x00"))
    return image + chunk(b"IEND", b"") + b"\x00" * padding


def office_bytes(kind="docx"):
    """Return a minimal Office Open XML (docx, xlsx, pptx) or OpenDocument (odt, ods, odp) archive."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if kind in ("docx", "xlsx", "pptx"):
            archive.writestr("[Content_Types].xml", "<Types/>")
            part = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}[kind]
            archive.writestr(part, "<x/>")
        else:
            suffix = {"odt": "text", "ods": "spreadsheet", "odp": "presentation"}[kind]
            archive.writestr(zipfile.ZipInfo("mimetype"), f"application/vnd.oasis.opendocument.{suffix}")
            archive.writestr("content.xml", "<x/>")
    return buffer.getvalue()


PDF_BYTES = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"
TEXT_BYTES = "Compte rendu : la séance s'est bien passée.\n".encode("utf-8")
HTML_PAGE = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG_IMAGE = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="4"/></svg>'


def stored_files():
    """Return the set of every key in the attachment storage (walked through the storage API)."""
    storage = get_attachment_storage()
    keys = set()
    pending = [""]
    while pending:
        folder = pending.pop()
        try:
            directories, files = storage.listdir(folder)
        except FileNotFoundError:
            continue
        keys.update(f"{folder}/{name}" if folder else name for name in files)
        pending.extend(f"{folder}/{name}" if folder else name for name in directories)
    return keys


def data_snapshot():
    """Return every evidence and attachment row's values, and the stored files: equal snapshots, nothing written."""
    return {
        "evidence": list(Evidence.objects.order_by("id").values()),
        "attachments": list(Attachment.objects.order_by("id").values()),
        "files": stored_files(),
    }
