"""
Retirement of a user's personal data, when the LMS retires their account.

As a learner, their evidence goes: texts, claims and justifications, submitted versions,
attachments and their stored files, the decisions and feedback about it, their eligibility
records; their verifiable credentials are revoked and erased (their status bits stay set).
What audit needs stays, without anything that points back to them: one
``ReviewAuditRecord`` per decision (reviewer, course, block, day, outcome, competences).
As a reviewer or staff member, their account is unlinked from the decisions and policy
changes they made. See docs/decisions/0007-retirement-keeps-anonymous-audit.rst.
Peer feedback they wrote, and peer feedback on their situations, loses its text and the retired
person; the rows stay, so that counts (feedback given by the other readers) do not change
(docs/decisions/0015-peer-feedback.rst).

``retire_learner`` never raises: the LMS's retirement pipeline must not stop on the plugin.
A failure is logged and retried by the Celery tasks of ``competency_plugin.tasks``, which
registers them as runners of this module's jobs (``platform.after_commit``): this module never
imports the tasks. Every step is idempotent.
"""
import dataclasses
import logging

from django.db import transaction

from competency_plugin.attestation.models import AttestationPolicyVersion, EligibilityRecord
from competency_plugin.credentials.models import IssuedCredential
from competency_plugin.credentials.services import erase_learner_credentials
from competency_plugin.evidence.models import Attachment, ChunkedUpload, Evidence
from competency_plugin.peer.models import PeerAllocation, PeerFeedback, PeerModerationRecord
from competency_plugin.platform import after_commit
from competency_plugin.platform.storage import get_attachment_storage
from competency_plugin.review.models import ReviewAuditRecord, ReviewDecision

log = logging.getLogger(__name__)

# Seconds before the first background retry of a failed retirement; each retry waits twice as long.
RETRY_DELAY = 60
MAX_RETRIES = 6


@dataclasses.dataclass(frozen=True)
class RetirementSummary:
    """What one retirement removed or anonymised (counts only: nothing about the person)."""

    evidence: int = 0
    files: int = 0
    decisions_kept_anonymously: int = 0
    eligibility_records: int = 0
    credentials_erased: int = 0
    reviewer_links_cleared: int = 0
    policy_changes_unlinked: int = 0
    peer_feedback_erased: int = 0


def retire_learner(user_id):
    """
    Erase the personal data of user ``user_id``; never raise.

    Called by the receiver of the LMS's retirement signal, possibly inside the LMS's own
    transaction: the erasure runs in a savepoint, so that its failure leaves the LMS's
    transaction usable. On failure the error is logged and a Celery task retries it.

    Returns:
        RetirementSummary, or None when the erasure failed and was scheduled for a retry.
    """
    if user_id is None:
        log.error("Retirement signal without a user: nothing erased from the competency portfolio.")
        return None
    try:
        return erase_user_data(user_id)
    except Exception:  # pylint: disable=broad-except  # the retirement pipeline must go on
        log.exception("Retirement of user %s in the competency portfolio failed; it will be retried.", user_id)
        _schedule_retry(user_id)
        return None


def _schedule_retry(user_id):
    """Queue the background retry (the task ``retire_user_task``); a broker failure is logged, not raised."""
    try:
        after_commit.perform(after_commit.RETIREMENT_RETRY, user_id)
    except Exception:  # pylint: disable=broad-except
        log.exception("Could not queue the retry of the retirement of user %s: retire them again by hand.", user_id)


def erase_user_data(user_id):
    """
    Erase the personal data of user ``user_id`` in one transaction; stored files go after commit.

    Idempotent: a second call finds nothing left and changes nothing.

    Raises:
        Whatever the database raises; nothing is changed then.
    """
    user_id = int(user_id)
    with transaction.atomic():
        evidence_ids = list(Evidence.objects.select_for_update().filter(user_id=user_id).values_list("id", flat=True))
        attachments = Attachment.objects.filter(evidence_id__in=evidence_ids).exclude(file_key="")
        file_keys = list(attachments.values_list("file_key", flat=True))
        # The chunks of unfinished uploads (evidence.uploads) go too.
        for parts in ChunkedUpload.objects.filter(evidence_id__in=evidence_ids).values_list("parts", flat=True):
            file_keys.extend(parts)
        records = [_audit_record(decision) for decision in _decisions_about(evidence_ids)]
        ReviewAuditRecord.objects.bulk_create(records)
        peer_feedback = _erase_peer_feedback(user_id, evidence_ids)
        # Attachments, claims, versions, decisions and competence decisions go with their evidence.
        Evidence.objects.filter(id__in=evidence_ids).delete()
        eligibility, _detail = EligibilityRecord.objects.filter(user_id=user_id).delete()
        credentials = erase_learner_credentials(user_id)
        IssuedCredential.objects.filter(revoked_by_id=user_id).update(revoked_by=None)
        reviewer_links = ReviewDecision.objects.filter(reviewer_id=user_id).update(reviewer=None)
        reviewer_links += ReviewAuditRecord.objects.filter(reviewer_id=user_id).update(reviewer=None)
        policy_changes = AttestationPolicyVersion.objects.filter(changed_by_id=user_id).update(changed_by=None)
        transaction.on_commit(lambda: delete_stored_files(file_keys))
    summary = RetirementSummary(
        evidence=len(evidence_ids),
        files=len(file_keys),
        decisions_kept_anonymously=len(records),
        eligibility_records=eligibility,
        credentials_erased=credentials,
        reviewer_links_cleared=reviewer_links,
        policy_changes_unlinked=policy_changes,
        peer_feedback_erased=peer_feedback,
    )
    log.info("Retired user %s from the competency portfolio: %s", user_id, summary)
    return summary


def _erase_peer_feedback(user_id, evidence_ids):
    """
    Erase the text of the peer feedback the user wrote or received, unlink them from it, and drop
    their readings; the rows stay (anonymous counts). Returns how many feedback rows were erased.
    """
    blank = {"comment": "", "question": "", "reply": "", "verdicts": []}
    written = PeerFeedback.objects.filter(reader_id=user_id)
    received = PeerFeedback.objects.filter(evidence_id__in=evidence_ids)
    # The verdicts stay as counts (convincing / not yet per competence) without their comments.
    for row in (written | received).only("id", "verdicts"):
        verdicts = [{key: value for key, value in item.items() if key != "comment"}
                    for item in row.verdicts or () if isinstance(item, dict)]
        PeerFeedback.objects.filter(pk=row.pk).update(**{**blank, "verdicts": verdicts})
    erased = written.update(reader=None) + received.update(evidence=None)
    PeerAllocation.objects.filter(reader_id=user_id).delete()
    PeerModerationRecord.objects.filter(moderator_id=user_id).update(moderator=None)
    return erased


def _decisions_about(evidence_ids):
    """Return the review decisions on these evidence items, with what their audit records keep."""
    return (
        ReviewDecision.objects.filter(evidence_id__in=evidence_ids)
        .select_related("evidence")
        .prefetch_related("competence_decisions__competence")
        .order_by("id")
    )


def _audit_record(decision):
    """Return an unsaved ``ReviewAuditRecord`` of a decision: no learner, no text, the day only."""
    evidence = decision.evidence
    return ReviewAuditRecord(
        reviewer_id=decision.reviewer_id,
        course_key=evidence.course_key,
        usage_key=evidence.usage_key,
        situation_type=evidence.situation_type,
        version=decision.version,
        outcome=decision.outcome,
        competences=[
            {
                "competence": str(item.competence.identifier),
                "code": item.competence.code,
                "status": item.status,
                "level": item.level,
            }
            for item in decision.competence_decisions.all()
        ],
        decided_on=decision.created.date(),
    )


def delete_stored_files(keys):
    """
    Delete stored files; those that cannot be deleted now are logged and retried by a Celery task.

    Returns:
        The keys that could not be deleted.
    """
    failed = _delete_files(keys)
    if failed:
        log.error("Could not delete %s stored file(s) of a retired user; retrying in the background.", len(failed))
        try:
            after_commit.perform(after_commit.FILES_DELETION_RETRY, failed)
        except Exception:  # pylint: disable=broad-except
            log.exception("Could not queue the deletion of stored files %s: delete them by hand.", failed)
    return failed


def _delete_files(keys):
    """Delete each stored file; return the keys whose deletion failed."""
    storage = get_attachment_storage()
    failed = []
    for key in keys:
        try:
            storage.delete(key)
        except Exception:  # pylint: disable=broad-except  # each storage backend raises its own errors
            log.exception("Could not delete stored file %s", key)
            failed.append(key)
    return failed


def retry_backoff(retries):
    """Seconds before retry number ``retries + 1``: 1, 2, 4… minutes, at most an hour."""
    return min(RETRY_DELAY * 2 ** retries, 3600)


def delete_files_or_raise(keys):
    """Delete stored files, raising ``OSError`` naming those left (for the retrying task)."""
    failed = _delete_files(keys)
    if failed:
        raise OSError(f"Could not delete stored files: {', '.join(failed)}")
