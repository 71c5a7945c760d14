"""Evidence rows turned into the API's plain data (``EvidenceData``, ``AttachmentData``), one by one or in bulk."""
from collections import defaultdict

from competency_plugin.evidence.claims import claims_of
from competency_plugin.evidence.data import AttachmentData, ClaimData, EvidenceData
from competency_plugin.evidence.models import Attachment, EvidenceCompetence
from competency_plugin.frameworks.data import OPTION_FIELDS, CompetenceOption

__all__ = ["attachment_to_data", "evidence_to_data", "evidence_list_data"]

# What ``AttachmentData`` holds of its rows.
_ATTACHMENT_FIELDS = ("uuid", "kind", "title", "url", "content_type", "size", "created")


def attachment_to_data(attachment):
    """Return the plain data of an attachment."""
    return AttachmentData(**{name: getattr(attachment, name) for name in _ATTACHMENT_FIELDS})


def evidence_to_data(evidence, attachments=None, claims=None):
    """
    Return the plain data of an evidence item: its attachments and claims prefetched, or none yet,
    or given (``AttachmentData`` and ``ClaimData`` sequences, as ``evidence_list_data`` reads them).
    """
    if attachments is None:
        attachments = [attachment_to_data(item) for item in evidence.attachments.all() if item.in_draft]
    if claims is None:
        claims = claims_of(evidence) if evidence.pk else ()
    return EvidenceData(
        uuid=evidence.uuid,
        course_key=str(evidence.course_key),
        usage_key=str(evidence.usage_key),
        situation_type=evidence.situation_type,
        title=evidence.title,
        occurred_on=evidence.occurred_on,
        school_level=evidence.school_level,
        subject=evidence.subject,
        description=evidence.description,
        analysis=evidence.analysis,
        status=evidence.status,
        version=evidence.version,
        submitted_at=evidence.submitted_at,
        created=evidence.created,
        modified=evidence.modified,
        edit_version=evidence.edit_version,
        attachments=tuple(attachments),
        claims=tuple(claims),
    )


def evidence_list_data(items):
    """
    Return the ``EvidenceData`` of evidence rows, their attachments and claims read in bulk as plain
    values: two queries for any number of items, and neither a model nor a queryset per item (what
    ``prefetch_related`` builds, most of a list's time).
    """
    items = list(items)
    attachments, claims = defaultdict(list), defaultdict(list)
    ids = [item.pk for item in items]
    if ids:
        rows = Attachment.objects.filter(evidence_id__in=ids, in_draft=True).values_list(
            "evidence_id", *_ATTACHMENT_FIELDS
        )
        for evidence_id, *values in rows:
            attachments[evidence_id].append(AttachmentData(**dict(zip(_ATTACHMENT_FIELDS, values))))
        rows = EvidenceCompetence.objects.filter(evidence_id__in=ids).values_list(
            "evidence_id", "justification", *(f"competence__{name}" for name in OPTION_FIELDS)
        )
        for evidence_id, justification, *values in rows:
            option = CompetenceOption(**dict(zip(OPTION_FIELDS, values)))
            claims[evidence_id].append(ClaimData(competence=option, justification=justification))
    return [evidence_to_data(item, attachments[item.pk], claims[item.pk]) for item in items]
