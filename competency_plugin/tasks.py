"""
The plugin's Celery tasks, where the LMS's Celery app looks for them (``autodiscover_tasks``).

``retire_user_task`` and ``delete_files_task`` retry the retirement of a user and the deletion of
stored files (``competency_plugin.rights.retirement``); ``recompute_eligibility`` refreshes the
stored eligibility of a course's learners and sends the Open edX event; ``notify_learner``
e-mails a learner about a review decision.

Services never import this module: they schedule named jobs through
``competency_plugin.platform.after_commit``, and this module registers, when the app is ready
(``CompetencyPluginConfig.ready``), the functions that queue the tasks running them.
"""
import dataclasses
import logging

from celery import shared_task
from django.db import DatabaseError
from kombu.exceptions import OperationalError

from competency_plugin.attestation.certificates import request_refused_certificates
from competency_plugin.attestation.records import refresh_eligibility
from competency_plugin.evidence.uploads import remove_abandoned_uploads as remove_expired_uploads
from competency_plugin.platform import after_commit
from competency_plugin.review.notifications import notify_learner_of_decision
from competency_plugin.rights.retirement import (
    MAX_RETRIES,
    RETRY_DELAY,
    delete_files_or_raise,
    erase_user_data,
    retry_backoff,
)
from competency_plugin.signals.signals import ATTESTATION_ELIGIBILITY_CHANGED, AttestationEligibilityData

__all__ = [
    "retire_user_task", "delete_files_task", "recompute_eligibility", "notify_learner", "remove_abandoned_uploads",
    "register_jobs",
]

log = logging.getLogger(__name__)


@shared_task(
    name="competency_plugin.recompute_eligibility", acks_late=True, autoretry_for=(DatabaseError,),
    retry_backoff=60, retry_backoff_max=3600, max_retries=6,
)
def recompute_eligibility(course_key, user_ids=None):
    """
    Recompute and store the eligibility of learners of a course; announce each change.

    Queued by ``api.schedule_eligibility_refresh`` once a review decision (``user_ids``: the
    learner) or a policy change (``user_ids`` None: the whole course) commits. Sends
    ``ATTESTATION_ELIGIBILITY_CHANGED`` once per learner whose ``eligible`` changed, after the
    new records are committed. Then asks the LMS again for the certificates the gate refused to
    learners now eligible (``attestation.certificates.request_refused_certificates``): the LMS does
    not retry them itself. A database error is retried, waiting 1, 2, 4… minutes.

    Returns:
        {"course_key": str, "changed": number of learners whose eligibility changed,
         "certificates_requested": number of refused certificates the LMS was asked for again}
    """
    changes = refresh_eligibility(course_key, user_ids)
    for change in changes:
        ATTESTATION_ELIGIBILITY_CHANGED.send_event(
            time=change.changed_at,
            eligibility=AttestationEligibilityData(
                user_id=change.user_id, username=change.username, course_key=change.course_key,
                eligible=change.eligible, policy_version=change.policy_version, changed_at=change.changed_at,
            ),
        )
    certificates = request_refused_certificates(course_key, user_ids)
    return {"course_key": str(course_key), "changed": len(changes), "certificates_requested": certificates}


@shared_task(name="competency_plugin.notify_learner", acks_late=True)
def notify_learner(decision_uuid):
    """
    E-mail the learner about the review decision ``decision_uuid`` (queued once it commits, by
    ``api.queue_learner_notification``). A failure is logged, not retried: a message sent twice
    would be worse than one lost, and the learner sees the decision in the course anyway.

    Returns:
        bool: whether a message was handed to the mail backend.
    """
    return notify_learner_of_decision(decision_uuid)


@shared_task(bind=True, name="competency_plugin.retire_user", max_retries=MAX_RETRIES, acks_late=True)
def retire_user_task(self, user_id):
    """Retry ``erase_user_data``; the last failure is logged with what an operator must do."""
    try:
        # The counts only, JSON-serialisable for any result backend.
        return dataclasses.asdict(erase_user_data(user_id))
    except Exception as error:  # pylint: disable=broad-except
        if self.request.retries >= self.max_retries:
            log.error(
                "Gave up retiring user %s from the competency portfolio after %s attempts: "
                "call competency_plugin.api.retire_learner(%s) once the cause is fixed.",
                user_id, self.request.retries + 1, user_id,
            )
            raise
        log.warning("Retirement of user %s failed (attempt %s); retrying.", user_id, self.request.retries + 1)
        raise self.retry(exc=error, countdown=retry_backoff(self.request.retries))


@shared_task(bind=True, name="competency_plugin.delete_files", max_retries=MAX_RETRIES, acks_late=True)
def delete_files_task(self, keys):
    """Retry the deletion of stored files whose rows are already gone."""
    try:
        delete_files_or_raise(keys)
    except Exception as error:  # pylint: disable=broad-except
        if self.request.retries >= self.max_retries:
            log.error("Gave up deleting stored files %s: delete them from the storage by hand.", keys)
            raise
        raise self.retry(exc=error, countdown=retry_backoff(self.request.retries))


@shared_task(name="competency_plugin.remove_abandoned_uploads", acks_late=True)
def remove_abandoned_uploads():
    """
    Remove the chunked uploads left unfinished for ``UPLOAD_EXPIRY`` seconds, with their stored chunks.

    Queued, to run once they may have expired, whenever an upload starts (``queue_uploads_cleanup``);
    operators may also run it from Celery beat. Returns the number of uploads removed.
    """
    return remove_expired_uploads()


def queue_uploads_cleanup(delay):
    """Queue ``remove_abandoned_uploads`` in ``delay`` seconds; a broker outage is logged (the next upload retries)."""
    try:
        remove_abandoned_uploads.apply_async(countdown=delay)
    except OperationalError:
        log.exception("Could not queue the removal of abandoned uploads (competency_plugin.remove_abandoned_uploads)")


def queue_eligibility_refresh(course_key, user_ids):
    """Queue ``recompute_eligibility``; a broker outage is logged, not raised into the committed request."""
    try:
        recompute_eligibility.delay(course_key, user_ids)
    except OperationalError:
        log.exception(
            "Could not queue the eligibility refresh of %s (learners %s): it will run at the course's next change, "
            "or run competency_plugin.api.refresh_eligibility(%r) by hand.", course_key, user_ids, course_key,
        )


def queue_learner_notification(decision_uuid):
    """Queue ``notify_learner``; with the broker out of reach, send the e-mail now rather than lose it."""
    try:
        notify_learner.delay(decision_uuid)
    except OperationalError:
        log.warning("Could not queue the e-mail about review decision %s: sending it now", decision_uuid)
        notify_learner_of_decision(decision_uuid)


def queue_retirement_retry(user_id):
    """Queue ``retire_user_task`` a minute from now (a broker failure is raised: the caller logs it)."""
    retire_user_task.apply_async(args=(user_id,), countdown=RETRY_DELAY)


def queue_files_deletion_retry(keys):
    """Queue ``delete_files_task`` a minute from now (a broker failure is raised: the caller logs it)."""
    delete_files_task.apply_async(args=(keys,), countdown=RETRY_DELAY)


def register_jobs():
    """Make this module's tasks what runs the services' after-commit jobs (``platform.after_commit``)."""
    after_commit.register(after_commit.ELIGIBILITY_REFRESH, queue_eligibility_refresh)
    after_commit.register(after_commit.LEARNER_NOTIFICATION, queue_learner_notification)
    after_commit.register(after_commit.RETIREMENT_RETRY, queue_retirement_retry)
    after_commit.register(after_commit.FILES_DELETION_RETRY, queue_files_deletion_retry)
    after_commit.register(after_commit.UPLOADS_CLEANUP, queue_uploads_cleanup)
