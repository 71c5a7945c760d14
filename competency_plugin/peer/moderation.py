"""
Staff and peer feedback: every feedback on a situation beside it (readers named), moderation with
an audit record, the queue's "peer feedback reported" filter, and the counts attestation reads.
"""
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef
from django.utils.translation import gettext as _

from competency_plugin.exceptions import CompetencyNotFoundError, CompetencyRequestError
from competency_plugin.peer.convert import FOR_STAFF, feedback_data, with_titles
from competency_plugin.peer.models import ModerationAction, PeerFeedback, PeerModerationRecord, PeerSituation
from competency_plugin.peer.services import _uuid
from competency_plugin.platform.database import database_errors
from competency_plugin.platform.keys import parse_course_key

_errors = database_errors(lambda: _("The peer feedback could not be changed. Please try again."))

# What the staff may do: the action asked -> the action recorded.
ACTIONS = {"hide": ModerationAction.HIDDEN, "release": ModerationAction.RELEASED, "keep": ModerationAction.KEPT}


def staff_feedback_on(*, evidence_id):
    """Every peer feedback on a situation, readers named, oldest first (one query), for its reviewers."""
    rows = with_titles(PeerFeedback.objects.filter(evidence_id=evidence_id)).order_by("created", "id")
    return tuple(feedback_data(row, FOR_STAFF) for row in rows)


def reported_feedback_exists():
    """An ``Exists`` for evidence querysets: the item has reported feedback staff have not hidden or kept."""
    return Exists(PeerFeedback.objects.filter(evidence_id=OuterRef("pk"), reported_at__isnull=False, hidden=False))


@_errors
def moderate_peer_feedback(*, course_key, feedback_uuid, moderator_id, action):
    """
    Staff hide a peer's feedback (it never reaches the author; the situation awaits another reader),
    release it to the author (moderated blocks), or keep it visible and dismiss its report. Each
    action leaves a ``PeerModerationRecord``.

    Returns:
        PeerFeedbackData, as staff see it.
    """
    if action not in ACTIONS:
        message = _("Choose what to do with this feedback.")
        raise CompetencyRequestError(message, {"action": [message]})
    course_key = parse_course_key(course_key)
    with transaction.atomic():
        row = PeerFeedback.objects.select_for_update().filter(uuid=_uuid(feedback_uuid), course_key=course_key).first()
        if row is None:
            raise CompetencyNotFoundError(_("This peer feedback does not exist."))
        if action == "hide" and not row.hidden:
            row.hidden = True
            if row.evidence_id is not None:  # the situation lost a reader: it is offered again
                PeerSituation.objects.filter(evidence_id=row.evidence_id, received__gt=0).update(
                    received=F("received") - 1)
        elif action == "release":
            row.released = True
        elif action == "keep":
            row.reported_at = None
        row.save(update_fields=["hidden", "released", "reported_at"])
        PeerModerationRecord.objects.create(
            feedback=row, moderator_id=moderator_id, course_key=row.course_key, usage_key=row.usage_key,
            action=ACTIONS[action],
        )
    return feedback_data(with_titles(PeerFeedback.objects.filter(pk=row.pk)).get(), FOR_STAFF)


def feedback_given_counts(course_key, user_id=None):
    """Return {user id: peer feedback given in the course and not hidden} (one query; of one user when given)."""
    rows = PeerFeedback.objects.filter(course_key=parse_course_key(course_key), hidden=False, reader__isnull=False)
    if user_id is not None:
        rows = rows.filter(reader_id=user_id)
    return dict(rows.values("reader_id").annotate(count=Count("id")).values_list("reader_id", "count"))
