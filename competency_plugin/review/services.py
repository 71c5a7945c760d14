"""
Staff review of submitted evidence: decisions competence by competence, history (the queue: ``review.queue``).

Decisions are append-only (``ReviewDecision``); the one in force is the newest. A reviewer
decides against the decision they saw (``base_decision``) and the version they read: if
another reviewer decided meanwhile, or the learner resubmitted, the second decision is
refused with a conflict instead of silently overwriting the first.

Staff read only what the learner submitted: the latest ``EvidenceVersion`` (its text, claims
and files), never the draft a learner revises after a revision request, which stays theirs
until they submit it again. Accepting locks that submitted version in.
"""
import functools
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from competency_plugin.evidence import services as evidence_service
from competency_plugin.evidence.claims import competence_option
from competency_plugin.evidence.data import AttachmentData, ClaimData, EvidenceData
from competency_plugin.evidence.models import Attachment, Evidence, EvidenceCompetence, EvidenceStatus, EvidenceVersion
from competency_plugin.evidence.snapshots import read_snapshot
from competency_plugin.exceptions import CompetencyConflictError, CompetencyNotFoundError
from competency_plugin.frameworks.data import OPTION_FIELDS, CompetenceOption
from competency_plugin.frameworks.models import Competence, ProficiencyLevel
from competency_plugin.frameworks.services import level_to_data
from competency_plugin.peer.allocation import note_reviewed
from competency_plugin.peer.moderation import staff_feedback_on
from competency_plugin.platform import after_commit
from competency_plugin.platform.database import database_errors
from competency_plugin.platform.storage import delete_on_commit
from competency_plugin.review.data import (
    CompetenceDecisionData,
    DecisionData,
    DecisionResult,
    ReviewItem,
    VersionData,
)
from competency_plugin.review.models import CompetenceDecision, CompetenceStatus, ReviewDecision, ReviewOutcome
from competency_plugin.review.notifications import queue_learner_notification
from competency_plugin.review.validation import (
    form_errors,
    parse_competence_decisions,
    raise_field_errors,
)
from competency_plugin.signals.signals import evidence_reviewed

REVIEWABLE_STATUSES = (EvidenceStatus.SUBMITTED, EvidenceStatus.ACCEPTED, EvidenceStatus.REVISION_REQUESTED)
DEFAULT_PAGE_SIZE = 20

# Database errors of the staff's reads and decisions (contention gets a retry hint).
_read_errors = database_errors(lambda: _("The evidence could not be read. Please try again."))
_write_errors = database_errors(lambda: _("The decision could not be saved. Please try again."))

_DECISIONS = Prefetch(
    "decisions",
    queryset=ReviewDecision.objects.select_related("reviewer").prefetch_related("competence_decisions__competence"),
)


def decision_to_data(decision):
    """Return the plain data of a decision (competence decisions prefetched)."""
    return DecisionData(
        uuid=decision.uuid,
        version=decision.version,
        reviewer=decision.reviewer.username if decision.reviewer else "",
        outcome=decision.outcome,
        feedback=decision.feedback,
        created=decision.created,
        competences=tuple(
            CompetenceDecisionData(competence=competence_option(item.competence), status=item.status, level=item.level)
            for item in decision.competence_decisions.all()
        ),
    )


def _competences_of(content):
    """Return {identifier: Competence} for the claims of a submitted version's content (one query)."""
    identifiers = [str(claim.get("competence")) for claim in content.get("claims") or ()]
    if not identifiers:
        return {}
    return {str(row.identifier): row for row in Competence.objects.filter(identifier__in=identifiers)}


def submitted_data(evidence, content, competences):
    """
    Return the ``EvidenceData`` of what the learner submitted as ``evidence.version``: the text,
    claims and attachments of that version's ``content``, with the item's current status.
    """
    claims = []
    for claim in content.get("claims") or ():
        row = competences.get(str(claim.get("competence")))
        option = competence_option(row) if row is not None else CompetenceOption(
            identifier=claim.get("competence"), code=claim.get("code", ""), title_fr=claim.get("title_fr", ""),
            title_en=claim.get("title_en", ""), depth=0,
        )
        claims.append(ClaimData(competence=option, justification=claim.get("justification", "")))
    attachments = [
        AttachmentData(
            uuid=item.get("uuid"), kind=item.get("kind", ""), title=item.get("title", ""), url=item.get("url", ""),
            content_type=item.get("content_type", ""), size=item.get("size") or 0,
            created=parse_datetime(item.get("created") or "") or evidence.submitted_at,
        )
        for item in content.get("attachments") or ()
    ]
    occurred_on = content.get("occurred_on")
    return EvidenceData(
        uuid=evidence.uuid,
        course_key=str(evidence.course_key),
        usage_key=str(evidence.usage_key),
        situation_type=content.get("situation_type", ""),
        title=content.get("title", ""),
        occurred_on=parse_date(occurred_on) if occurred_on else None,
        school_level=content.get("school_level", ""),
        subject=content.get("subject", ""),
        description=content.get("description", ""),
        analysis=content.get("analysis", ""),
        status=evidence.status,
        version=evidence.version,
        submitted_at=evidence.submitted_at,
        created=evidence.created,
        modified=evidence.submitted_at or evidence.modified,
        attachments=tuple(attachments),
        claims=tuple(claims),
    )


def _reviewable(evidence_uuid, course_key, *, for_update=False):
    queryset = Evidence.objects.select_for_update() if for_update else Evidence.objects
    try:
        evidence = queryset.select_related("user").get(
            uuid=str(evidence_uuid), course_key=evidence_service.parse_course_key(course_key), version__gt=0
        )
    except (Evidence.DoesNotExist, ValidationError, ValueError) as error:
        raise CompetencyNotFoundError(_("This evidence item does not exist.")) from error
    return evidence


@_read_errors
def get_review_item(*, evidence_uuid, course_key):
    """
    Return what a reviewer sees of a submitted evidence item of the course: the version the learner
    last submitted (not their draft), its decisions and earlier versions, and peers' feedback (nine queries).
    """
    evidence = _reviewable(evidence_uuid, course_key)
    versions = Prefetch("versions", EvidenceVersion.objects.order_by("-number"))
    evidence = Evidence.objects.prefetch_related(_DECISIONS, versions).get(pk=evidence.pk)
    latest = next((row for row in evidence.versions.all() if row.number == evidence.version), None)
    content = read_snapshot(latest.content) if latest is not None else evidence_service.submitted_content(evidence)
    competences = _competences_of(content)
    framework_ids = {competence.framework_id for competence in competences.values()}
    levels = ProficiencyLevel.objects.filter(framework_id__in=framework_ids).order_by("framework_id", "order")
    return ReviewItem(
        evidence=submitted_data(evidence, content, competences),
        learner=evidence.user.username,
        decisions=tuple(decision_to_data(decision) for decision in evidence.decisions.all()),
        levels=tuple(level_to_data(level) for level in levels),
        versions=tuple(
            VersionData(number=row.number, submitted_at=row.submitted_at, content=read_snapshot(row.content))
            for row in evidence.versions.all()
        ),
        peer_feedback=staff_feedback_on(evidence_id=evidence.pk),
    )


@_write_errors
@transaction.atomic
def decide(  # pylint: disable=too-many-arguments,too-many-locals
    *, evidence_uuid, course_key, reviewer_id, version, base_decision, outcome, feedback="", competences=(),
    usage_key=None,
):
    """
    Record a reviewer's decision on the version of an evidence item they read.

    Args:
        version: the evidence version the reviewer read.
        base_decision: the uuid of the decision in force when they opened it (None if there was none).
        outcome: "accepted" or "revision_requested" (feedback is then required).
        competences: ``[{"competence": identifier, "status": "validated"|"not_yet", "level": code}]``,
            one for every competence the learner claimed.
        usage_key: when given, the block the item must belong to (an item of another block is not found).

    Returns:
        DecisionResult: the decision, the learner's user id, how many of their items in the item's
        block are accepted before and after it, and the item as the reviewer now sees it.

    Raises:
        CompetencyRequestError (bad input), CompetencyNotFoundError, CompetencyConflictError (someone decided
        meanwhile, or the learner changed the evidence).

    The decision is on the version the learner last submitted; accepting it locks that version in
    (its text, claims and files become the item's again). It is refused (conflict) once the learner
    has started revising the item after a revision request, so that nothing they wrote is lost.

    Once the decision commits, the learner's eligibility is recomputed (the Celery task
    ``recompute_eligibility``) and the learner e-mailed (``notify_learner``, when the instance sends
    mail), both scheduled through ``platform.after_commit``; ``signals.evidence_reviewed`` is sent
    for receivers outside the plugin.
    """
    # The item first (one of the block's, when a block asks), then what is asked of it.
    evidence = _reviewable(evidence_uuid, course_key, for_update=True)
    if usage_key is not None and str(evidence.usage_key) != str(evidence_service.parse_usage_key(usage_key)):
        raise CompetencyNotFoundError(_("This evidence item does not exist."))
    errors = form_errors(outcome, feedback)
    accepted_before = _count_accepted(evidence.user_id, evidence.usage_key)
    recent = list(evidence.decisions.order_by("-id")[:2])
    latest = recent[0] if recent else None
    if str(version) != str(evidence.version) or evidence.status not in REVIEWABLE_STATUSES:
        raise CompetencyConflictError(_("The learner has changed this evidence since you opened it. Reload it."))
    content = evidence_service.submitted_content(evidence) or {}
    rows = _competences_of(content)
    claimed = {str(claim.get("competence")): rows[str(claim.get("competence"))]
               for claim in content.get("claims") or () if str(claim.get("competence")) in rows}
    # Every field error at once (outcome, feedback, each competence), each under its field.
    parsed, competence_errors = parse_competence_decisions(claimed, competences)
    raise_field_errors({**errors, **competence_errors})
    if (str(latest.uuid) if latest else None) != (str(base_decision) if base_decision else None):
        if latest is None or latest.reviewer_id != reviewer_id:
            raise CompetencyConflictError(_(
                "Another reviewer has decided on this evidence since you opened it. Reload it to see their decision."
            ))
        previous = str(recent[1].uuid) if len(recent) > 1 else None
        same_base = previous == (str(base_decision) if base_decision else None)
        if not (same_base and latest.version == evidence.version and _repeats(latest, outcome, feedback, parsed)):
            raise CompetencyConflictError(
                _("You have already decided on this evidence since you opened it. Reload it to see your decision.")
            )
        # The same reviewer sent the same decision again (an answer lost on the way): it is recorded once.
        return _result(evidence, latest, accepted_before, accepted_before)
    if outcome == ReviewOutcome.ACCEPTED and _revised_since_submission(evidence, content):
        raise CompetencyConflictError(_(
            "The learner has started revising this situation since your request. Accept it once they "
            "submit it again: accepting now would discard what they wrote."
        ))
    decision = ReviewDecision.objects.create(
        evidence=evidence, version=evidence.version, reviewer_id=reviewer_id, outcome=outcome, feedback=feedback.strip()
    )
    CompetenceDecision.objects.bulk_create(
        CompetenceDecision(decision=decision, competence=competence, status=status, level=level)
        for competence, status, level in parsed
    )
    changed = ["status", "edit_version", "modified"]
    if outcome == ReviewOutcome.ACCEPTED:
        _lock_submitted(evidence, content, rows)
        changed += [*_TEXT_FIELDS, "occurred_on"]
    evidence.status = outcome
    # A learner's tab opened before the decision holds an older text, or an item no longer editable.
    evidence.edit_version += 1
    evidence.save(update_fields=changed)
    # Blocks whose peers read only reviewed situations offer it from now on.
    note_reviewed(evidence.pk)
    # The learner's eligibility is refreshed once the decision commits (``attestation.refresh``).
    after_commit.schedule(after_commit.ELIGIBILITY_REFRESH, str(evidence.course_key), [int(evidence.user_id)])
    # The learner's e-mail, queued the same way (``review.notifications``).
    queue_learner_notification(decision.uuid)
    # Other plugins' receivers of ``evidence_reviewed`` run once the decision commits, never for a
    # rolled-back one. The plugin itself no longer listens to it (one path for its after-commit work).
    transaction.on_commit(functools.partial(
        evidence_reviewed.send_robust, sender=ReviewDecision, decision_uuid=str(decision.uuid),
        evidence_uuid=str(evidence.uuid), course_key=str(evidence.course_key), user_id=evidence.user_id,
        outcome=outcome,
    ))
    return _result(evidence, decision, accepted_before, _count_accepted(evidence.user_id, evidence.usage_key))


def _result(evidence, decision, accepted_before, accepted_after):
    """The ``DecisionResult`` of ``decision`` on ``evidence`` (the item reloaded as a reviewer sees it)."""
    return DecisionResult(
        decision=_decision_data(decision),
        learner_id=evidence.user_id,
        accepted_before=accepted_before,
        accepted_after=accepted_after,
        review=get_review_item(evidence_uuid=evidence.uuid, course_key=evidence.course_key),
    )


def _revised_since_submission(evidence, content):
    """
    Whether the learner's draft (text, claims or files) differs from the version they submitted:
    after a revision request they may have started rewriting it, and an acceptance, which locks the
    submitted version in, would throw their unsubmitted words away without their say.
    """
    if evidence.status != EvidenceStatus.REVISION_REQUESTED or not content:
        return False
    draft = evidence_service.frozen_content(
        evidence_service.get_evidence(user_id=evidence.user_id, evidence_uuid=evidence.uuid)
    )
    return any(draft.get(key) != value for key, value in content.items())


# The fields of a submitted version's content written back on the item when it is accepted.
_TEXT_FIELDS = ("situation_type", "title", "school_level", "subject", "description", "analysis")


def _lock_submitted(evidence, content, competences):
    """
    Make the item (locked for update) what the learner submitted as its latest version: its text and
    claims, and its files (those removed from the draft since come back, those added since go). The
    caller saves the row.
    """
    for name in _TEXT_FIELDS:
        setattr(evidence, name, content.get(name) or "")
    occurred_on = content.get("occurred_on")
    evidence.occurred_on = parse_date(occurred_on) if occurred_on else None
    EvidenceCompetence.objects.filter(evidence=evidence).delete()
    EvidenceCompetence.objects.bulk_create(
        EvidenceCompetence(
            evidence=evidence, competence=competences[str(claim.get("competence"))],
            justification=claim.get("justification", ""),
        )
        for claim in content.get("claims") or () if str(claim.get("competence")) in competences
    )
    submitted = [str(item.get("uuid")) for item in content.get("attachments") or ()]
    Attachment.objects.filter(evidence=evidence, uuid__in=submitted, in_draft=False).update(in_draft=True)
    added = Attachment.objects.filter(evidence=evidence).exclude(uuid__in=submitted)
    keys = [key for key in added.values_list("file_key", flat=True) if key]
    added.delete()
    delete_on_commit(keys)


def _decision_data(decision):
    decision = ReviewDecision.objects.select_related("reviewer").prefetch_related(
        "competence_decisions__competence"
    ).get(pk=decision.pk)
    return decision_to_data(decision)


def _repeats(decision, outcome, feedback, parsed):
    """Whether ``decision`` is what a reviewer sends again: the same outcome, feedback and verdicts."""
    verdicts = {(competence.pk, status, level) for competence, status, level in parsed}
    return (
        decision.outcome == outcome
        and decision.feedback == feedback.strip()
        and set(decision.competence_decisions.values_list("competence_id", "status", "level")) == verdicts
    )


def _newer_decision(evidence_ref, decision_ref):
    """Whether a later decision exists on the same item: the decision referred to is no longer in force."""
    return Exists(ReviewDecision.objects.filter(evidence_id=OuterRef(evidence_ref), id__gt=OuterRef(decision_ref)))


def validations_in_force(course_key, user_id=None):
    """
    Return the ``CompetenceDecision`` rows validating a competence in the decision in force (the
    newest) on an accepted item of a course, or of one learner's items there; unordered.
    """
    rows = CompetenceDecision.objects.filter(
        decision__evidence__course_key=course_key,
        decision__evidence__status=EvidenceStatus.ACCEPTED,
        decision__outcome=ReviewOutcome.ACCEPTED,
        status=CompetenceStatus.VALIDATED,
    )
    if user_id is not None:
        rows = rows.filter(decision__evidence__user_id=user_id)
    return rows.exclude(_newer_decision("decision__evidence_id", "decision_id")).order_by()


@_read_errors
def latest_decisions(*, user_id, usage_key, evidence_uuids=None):
    """
    Return {evidence uuid: DecisionData in force} for the learner's items in a block, or for those
    of them named by ``evidence_uuids``: one query, each decision joined to its competences and read
    as plain values (no model per row).
    """
    decisions = ReviewDecision.objects.filter(
        evidence__user_id=user_id, evidence__usage_key=evidence_service.parse_usage_key(usage_key))
    if evidence_uuids is not None:
        decisions = decisions.filter(evidence__uuid__in=[str(uuid) for uuid in evidence_uuids])
    # Only the decisions in force (no newer one on the same item), a row per competence decided (one
    # with none when the decision names no competence).
    rows = decisions.exclude(_newer_decision("evidence_id", "id")).order_by(
        "id", "competence_decisions__competence__path").values_list(
        "evidence__uuid", "uuid", "version", "reviewer__username", "outcome", "feedback", "created",
        "competence_decisions__status", "competence_decisions__level",
        *(f"competence_decisions__competence__{name}" for name in OPTION_FIELDS))
    heads, competences = {}, defaultdict(list)
    for row in rows:
        item_uuid, head, (status, level, *option) = row[0], row[1:7], row[7:]
        heads[item_uuid] = head
        if option[0] is not None:  # the decision's competence, if it names one
            competences[item_uuid].append(CompetenceDecisionData(
                competence=CompetenceOption(*option), status=status, level=level))
    return {
        item_uuid: DecisionData(uuid=uuid, version=version, reviewer=reviewer or "", outcome=outcome,
                                feedback=feedback, created=created, competences=tuple(competences[item_uuid]))
        for item_uuid, (uuid, version, reviewer, outcome, feedback, created) in heads.items()
    }


@_read_errors
def count_accepted(*, user_id, usage_key):
    """Return how many of the learner's items in a block are accepted."""
    return _count_accepted(user_id, evidence_service.parse_usage_key(usage_key))


def _count_accepted(user_id, usage_key):
    return Evidence.objects.filter(user_id=user_id, usage_key=usage_key, status=EvidenceStatus.ACCEPTED).count()


@_read_errors
def learner_of(*, evidence_uuid, course_key):
    """Return the user id of the learner who owns a submitted evidence item of the course."""
    return _reviewable(evidence_uuid, course_key).user_id
