"""Peer feedback rows to plain data, with the reader's name only for whom may know it."""
from django.db.models import OuterRef, Subquery
from django.db.models.fields.json import KeyTextTransform

from competency_plugin.evidence.models import EvidenceVersion
from competency_plugin.peer.data import PeerFeedbackData, PeerVerdictData

# Who is asking: the reader may see their own name, the author only a named reader's; staff every name.
FOR_READER = "reader"
FOR_AUTHOR = "author"
FOR_STAFF = "staff"


def with_titles(queryset):
    """Annotate feedback rows with the title of the version read (``read_title``) and load the reader."""
    version = EvidenceVersion.objects.filter(evidence_id=OuterRef("evidence_id"), number=OuterRef("version"))
    return queryset.select_related("reader", "evidence").annotate(
        read_title=Subquery(version.values(text=KeyTextTransform("title", "content"))[:1]),
    )


def _reader_name(row, audience):
    if row.reader is None:
        return ""
    if audience == FOR_AUTHOR and row.anonymous:
        return ""
    return row.reader.get_username()


def feedback_data(row, audience):
    """Return the ``PeerFeedbackData`` of a row of ``with_titles``, as ``audience`` may read it."""
    verdicts = tuple(
        PeerVerdictData(
            competence=str(item.get("competence", "")), code=str(item.get("code", "")),
            title_fr=str(item.get("title_fr", "")), title_en=str(item.get("title_en", "")),
            verdict=str(item.get("verdict", "")), comment=str(item.get("comment", "")),
        )
        for item in row.verdicts or () if isinstance(item, dict)
    )
    title = getattr(row, "read_title", None)
    if title is None:
        title = row.evidence.title if row.evidence is not None else ""
    return PeerFeedbackData(
        uuid=row.uuid,
        evidence_uuid=row.evidence.uuid if row.evidence is not None else None,
        title=title,
        version=row.version,
        reader=_reader_name(row, audience),
        anonymous=row.anonymous,
        verdicts=verdicts,
        comment=row.comment,
        question=row.question,
        reply=row.reply,
        replied_at=row.replied_at,
        helpful=row.helpful,
        reported=row.reported_at is not None,
        released=row.released,
        hidden=row.hidden,
        created=row.created,
    )
