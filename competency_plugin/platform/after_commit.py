"""
The one path for background work a service asks for: named jobs, run once the transaction commits.

Services never import the task module (``competency_plugin.tasks`` imports them): they name a job
(``schedule(ELIGIBILITY_REFRESH, course_key, user_ids)``), and the interface layer registers what
runs it when the app is ready (``tasks`` registers a function queueing its Celery task). A job is
never run for a rolled-back transaction. ``perform`` runs a job now, for callers whose work must not
wait for a commit (a retirement retried after its savepoint rolled back, inside the LMS's own
transaction).
"""
import functools
import logging

from django.db import transaction

__all__ = [
    "ELIGIBILITY_REFRESH", "LEARNER_NOTIFICATION", "RETIREMENT_RETRY", "FILES_DELETION_RETRY", "UPLOADS_CLEANUP",
    "register", "schedule", "perform",
]

log = logging.getLogger(__name__)

# Refresh the stored eligibility of learners of a course: (course_key: str, user_ids: sorted list or None).
ELIGIBILITY_REFRESH = "eligibility-refresh"
# E-mail the learner about a committed review decision: (decision_uuid: str,).
LEARNER_NOTIFICATION = "learner-notification"
# Retry, a minute later, the erasure of a retired user's data: (user_id,).
RETIREMENT_RETRY = "retirement-retry"
# Retry, a minute later, the deletion of stored files whose rows are gone: (keys: list of str,).
FILES_DELETION_RETRY = "files-deletion-retry"
# Remove, once they expire, the chunked uploads left unfinished: (delay in seconds,).
UPLOADS_CLEANUP = "uploads-cleanup"

_RUNNERS = {}


def register(job, runner):
    """Make ``runner(*args)`` what runs ``job`` (called by the interface layer when the app is ready)."""
    _RUNNERS[job] = runner


def schedule(job, *args):
    """Run ``job`` with ``args`` once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(functools.partial(perform, job, *args))


def perform(job, *args):
    """Run ``job`` now; a job nobody registered is logged, never raised into a committed request."""
    try:
        runner = _RUNNERS[job]
    except KeyError:
        log.error("No runner registered for the background job %r %r: is competency_plugin installed?", job, args)
        return
    runner(*args)
