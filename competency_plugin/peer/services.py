"""
Peer feedback given and received: a reader answers the situation given to them; its author reads
the answer (once released, never hidden), replies once, marks it helpful or reports it.
"""
import uuid

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from competency_plugin.evidence.models import EvidenceVersion
from competency_plugin.evidence.snapshots import read_snapshot
from competency_plugin.exceptions import CompetencyConflictError, CompetencyNotFoundError, CompetencyRequestError
from competency_plugin.peer.allocation import current_reading, may_read
from competency_plugin.peer.convert import FOR_AUTHOR, FOR_READER, feedback_data, with_titles
from competency_plugin.peer.data import PeerSummary
from competency_plugin.peer.models import PeerAllocation, PeerFeedback, PeerSituation, PeerVerdict
from competency_plugin.platform.database import database_errors
from competency_plugin.platform.keys import parse_usage_key
from competency_plugin.platform.text import check_text

COMMENT_MAX_LENGTH = 5000
VERDICT_COMMENT_MAX_LENGTH = 2000

_errors = database_errors(lambda: _("The peer feedback could not be saved. Please try again."))


def _invalid(field, message):
    return CompetencyRequestError(_("Some fields are not valid."), {field: [message]})


def _text(value, field, max_length, required=False):
    value = check_text("" if value is None else value, field, max_length).strip()
    if required and not value:
        raise _invalid(field, _("This field is required."))
    return value


def _parse_verdicts(claims, verdicts):
    """Check one verdict per claimed competence; return them in the claims' order, with the competences' titles."""
    if not isinstance(verdicts, list) or not all(isinstance(item, dict) for item in verdicts):
        raise _invalid("verdicts", _("The verdicts must be a list."))
    sent = {str(item.get("competence", "")).strip().lower(): item for item in verdicts}
    parsed = []
    for claim in claims:
        item = sent.pop(str(claim["competence"]).lower(), None)
        if item is None or item.get("verdict") not in PeerVerdict.values:
            raise _invalid("verdicts", _("Say for each competence whether the situation is convincing."))
        parsed.append({
            "competence": claim["competence"], "code": claim["code"], "title_fr": claim["title_fr"],
            "title_en": claim["title_en"], "verdict": item["verdict"],
            "comment": _text(item.get("comment"), "verdicts", VERDICT_COMMENT_MAX_LENGTH),
        })
    if sent:
        raise _invalid("verdicts", _("A verdict names a competence the situation does not claim."))
    return parsed


@_errors
def give_feedback(  # pylint: disable=too-many-arguments
        *, reader_id, reading_uuid, usage_key, settings, verdicts, comment, question=""):
    """
    Record the reader's feedback on the situation given to them (``reading_uuid``), once.

    A reading answered after it expired is still taken: expiry only stops it holding the situation
    back from others. The feedback reaches the author at once, or once staff release it
    (``settings.moderated``); it is anonymous to the author when ``settings.anonymous``.

    Returns:
        PeerFeedbackData, as the reader sees it.

    Raises:
        CompetencyNotFoundError (not their reading), CompetencyConflictError (already answered),
        CompetencyRequestError naming the field at fault.
    """
    usage_key = parse_usage_key(usage_key)
    comment = _text(comment, "comment", COMMENT_MAX_LENGTH, required=True)
    question = _text(question, "question", COMMENT_MAX_LENGTH)
    with transaction.atomic():
        allocation = (
            PeerAllocation.objects.select_for_update().select_related("evidence")
            .filter(reader_id=reader_id, uuid=_uuid(reading_uuid), usage_key=usage_key).first()
        )
        if allocation is None:
            raise CompetencyNotFoundError(_("This reading does not exist."))
        if allocation.answered:
            raise CompetencyConflictError(_("You have already answered this situation."))
        content = read_snapshot(
            EvidenceVersion.objects.filter(evidence_id=allocation.evidence_id, number=allocation.version)
            .values_list("content", flat=True).first()
        )
        row = PeerFeedback.objects.create(
            evidence=allocation.evidence, reader_id=reader_id, course_key=allocation.evidence.course_key,
            usage_key=usage_key, version=allocation.version, anonymous=bool(settings.anonymous),
            verdicts=_parse_verdicts(content["claims"], verdicts), comment=comment, question=question,
            released=not settings.moderated,
        )
        allocation.answered = True
        allocation.save(update_fields=["answered"])
        PeerSituation.objects.filter(evidence_id=allocation.evidence_id).update(received=F("received") + 1)
    return feedback_data(with_titles(PeerFeedback.objects.filter(pk=row.pk)).get(), FOR_READER)


def _uuid(value):
    try:
        return uuid.UUID(str(value or "").strip())
    except ValueError as error:
        raise CompetencyNotFoundError(_("This peer feedback does not exist.")) from error


def _received(author_id, usage_key=None):
    """The feedback the author may read: on their situations, released, not hidden."""
    rows = PeerFeedback.objects.filter(evidence__user_id=author_id, released=True, hidden=False)
    if usage_key is not None:
        rows = rows.filter(usage_key=usage_key)
    return rows


def _authors_feedback(author_id, feedback_uuid, usage_key):
    row = (
        _received(author_id, parse_usage_key(usage_key)).select_for_update()
        .filter(uuid=_uuid(feedback_uuid)).first()
    )
    if row is None:
        raise CompetencyNotFoundError(_("This peer feedback does not exist."))
    return row


def _author_answer(row_id):
    return feedback_data(with_titles(PeerFeedback.objects.filter(pk=row_id)).get(), FOR_AUTHOR)


@_errors
def reply_to_feedback(*, author_id, feedback_uuid, usage_key, reply):
    """The author answers a peer's feedback on their situation, once. Returns ``PeerFeedbackData``."""
    reply = _text(reply, "reply", COMMENT_MAX_LENGTH, required=True)
    with transaction.atomic():
        row = _authors_feedback(author_id, feedback_uuid, usage_key)
        if row.reply:
            raise CompetencyConflictError(_("You have already replied to this feedback."))
        row.reply, row.replied_at = reply, timezone.now()
        row.save(update_fields=["reply", "replied_at"])
    return _author_answer(row.pk)


@_errors
def mark_feedback_helpful(*, author_id, feedback_uuid, usage_key, helpful=True):
    """The author marks a peer's feedback helpful (or not). Returns ``PeerFeedbackData``."""
    with transaction.atomic():
        row = _authors_feedback(author_id, feedback_uuid, usage_key)
        row.helpful = bool(helpful)
        row.save(update_fields=["helpful"])
    return _author_answer(row.pk)


@_errors
def report_feedback(*, author_id, feedback_uuid, usage_key):
    """The author reports a peer's feedback as abusive: staff see it in their queue. Returns ``PeerFeedbackData``."""
    with transaction.atomic():
        row = _authors_feedback(author_id, feedback_uuid, usage_key)
        if row.reported_at is None:
            row.reported_at = timezone.now()
            row.save(update_fields=["reported_at"])
    return _author_answer(row.pk)


def peer_summary(*, user_id, usage_key, settings):
    """
    Return the learner's ``PeerSummary`` in a block: the reading they hold, the feedback they gave
    (with the authors' replies) and the feedback they received (released, not hidden; anonymous
    readers unnamed). Five queries at most.
    """
    usage_key = parse_usage_key(usage_key)
    given = with_titles(PeerFeedback.objects.filter(reader_id=user_id, usage_key=usage_key)).order_by("-created", "-id")
    received = with_titles(_received(user_id, usage_key)).order_by("-created", "-id")
    return PeerSummary(
        reading=(current_reading(reader_id=user_id, usage_key=usage_key, settings=settings)
                 if settings.enabled else None),
        given=tuple(feedback_data(row, FOR_READER) for row in given),
        received=tuple(feedback_data(row, FOR_AUTHOR) for row in received),
        can_read=bool(settings.enabled) and may_read(user_id, usage_key),
    )


def exported_feedback(*, user_id, course_key):
    """
    Return (given, received): the ``PeerFeedbackData`` a learner wrote and received in a course, for
    their data export. Received feedback is what the author may read (released, not hidden), and an
    anonymous reader stays unnamed. Two queries.
    """
    given = with_titles(PeerFeedback.objects.filter(reader_id=user_id, course_key=course_key))
    received = with_titles(_received(user_id).filter(course_key=course_key))
    return (
        tuple(feedback_data(row, FOR_READER) for row in given.order_by("created", "id")),
        tuple(feedback_data(row, FOR_AUTHOR) for row in received.order_by("created", "id")),
    )
