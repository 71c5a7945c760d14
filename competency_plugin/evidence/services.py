"""Learners' evidence items: create, edit, submit and delete, always scoped to their owner."""
import functools
import logging
import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from competency_plugin.evidence.claims import parse_claims, replace_claims, selectable_competences
from competency_plugin.evidence.convert import evidence_list_data, evidence_to_data
from competency_plugin.evidence.counts import evidence_limit
from competency_plugin.evidence.course_blocks import forget_unless_known, record_block_name
from competency_plugin.evidence.models import (
    Attachment,
    Evidence,
    EvidenceCompetence,
    EvidenceStatus,
    EvidenceVersion,
    is_deletable,
    is_editable,
)
from competency_plugin.evidence.snapshots import read_snapshot, snapshot_of
from competency_plugin.evidence.validation import EvidenceInputSerializer, validate
from competency_plugin.exceptions import (
    CompetencyConflictError,
    CompetencyNotFoundError,
    CompetencyRequestError,
    CompetencyStaleEditError,
)
from competency_plugin.platform.database import database_errors
from competency_plugin.platform.keys import parse_course_key, parse_usage_key
from competency_plugin.platform.storage import delete_on_commit

log = logging.getLogger(__name__)

# What a submitted item must have; a draft needs only its title.
REQUIRED_TO_SUBMIT = ("situation_type", "title", "description", "analysis")
# What every read of an evidence item fetches with it.
_RELATED = ("attachments", "claims__competence")
# What a browser-generated key of idempotent creation may look like (fits ``Evidence.client_key``).
_CLIENT_KEY = re.compile(r"[A-Za-z0-9_.:-]{1,64}")


def get_owned_evidence(user_id, evidence_uuid, *, for_update=False, queryset=None, usage_key=None):
    """
    Return the learner's own evidence item, or raise ``CompetencyNotFoundError``.

    With ``usage_key``, only an item of that block is found: each block applies its own rules
    (situation types, file limits), so an item is changed only through the block that holds it.
    """
    if queryset is None:
        queryset = Evidence.objects.select_for_update() if for_update else Evidence.objects
    if usage_key is not None:
        queryset = queryset.filter(usage_key=parse_usage_key(usage_key))
    try:
        return queryset.get(uuid=str(evidence_uuid), user_id=user_id)
    except (Evidence.DoesNotExist, ValidationError, ValueError) as error:
        # A malformed UUID names nothing that exists.
        raise CompetencyNotFoundError(_("This evidence item does not exist.")) from error


def require_editable(evidence):
    """Raise ``CompetencyConflictError`` unless the learner may still change the item."""
    if not is_editable(evidence.status):
        raise CompetencyConflictError(_("This evidence item has been submitted and can no longer be changed."))


def _expected_version(value):
    """Return the edit version a change says it was made on, or raise ``CompetencyRequestError``."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        message = _("This change does not say which version of the situation it was made on. Reload the page.")
        raise CompetencyRequestError(message, {"edit_version": [message]})
    return value


def stale_edit_error(user_id, evidence_uuid):
    """The error answering a change made on an older text: it carries the stored item, for the learner to choose."""
    current = get_evidence(user_id=user_id, evidence_uuid=evidence_uuid)
    return CompetencyStaleEditError(
        _("This situation was changed in another tab or window since you opened it. Keep your text, or use "
          "the saved version?"),
        current=current.to_dict(),
    )


def take_edit(evidence, expected_version, changes=None):
    """
    Write ``changes`` ({field: value}) on a row and bump its edit version, if it is still
    ``expected_version``; else write nothing and raise ``CompetencyStaleEditError``.

    One ``UPDATE … SET …, edit_version = edit_version + 1 WHERE id = … AND edit_version = expected``:
    of two concurrent changes made on the same text only one can win, even where the caller's
    ``SELECT … FOR UPDATE`` locks nothing (SQLite). ``evidence`` is updated in memory too.
    """
    expected = _expected_version(expected_version)
    changes = dict(changes or {})
    now = timezone.now()
    changed = Evidence.objects.filter(pk=evidence.pk, edit_version=expected).update(
        **changes, edit_version=F("edit_version") + 1, modified=now
    )
    if not changed:
        raise stale_edit_error(evidence.user_id, evidence.uuid)
    for name, value in changes.items():
        setattr(evidence, name, value)
    evidence.edit_version, evidence.modified = expected + 1, now


def list_evidence(*, user_id, usage_key):
    """Return the learner's evidence items in one block, newest first (three queries)."""
    usage_key = parse_usage_key(usage_key)
    return evidence_list_data(Evidence.objects.filter(user_id=user_id, usage_key=usage_key))


def get_evidence(*, user_id, evidence_uuid):
    """Return one of the learner's own evidence items (three queries)."""
    evidence = get_owned_evidence(user_id, evidence_uuid, queryset=Evidence.objects.prefetch_related(*_RELATED))
    return evidence_to_data(evidence)


def _check_situation_type(value, allowed_situation_types):
    if value and allowed_situation_types and value not in allowed_situation_types:
        raise CompetencyRequestError(
            _("Some fields are not valid."),
            {"situation_type": [_("This kind of situation is not accepted in this activity.")]},
        )


def _wrap_database_errors(func):
    """Database errors become ``CompetencyInternalError`` (with a retry hint when the database was busy)."""
    return database_errors(lambda: _("The portfolio could not be saved. Please try again."))(func)


@_wrap_database_errors
def save_draft(  # pylint: disable=too-many-arguments
    *,
    user_id,
    course_key,
    usage_key,
    data,
    evidence_uuid=None,
    client_key=None,
    allowed_situation_types=(),
    max_evidence=None,
    claims=None,
    framework_identifier=None,
    competence_identifiers=(),
    expected_version=None,
):
    """
    Create a draft evidence item, or update one of the learner's editable items.

    Args:
        user_id: the learner's user id.
        course_key, usage_key: where the item is recorded (keys or their strings).
        data: the learner's fields (see ``EvidenceInputSerializer``); on update, only those given change.
        evidence_uuid: the item to update; None creates one.
        client_key: a key generated by the learner's browser: retrying a creation with the same key
            updates and returns the item created the first time (left as it is once submitted).
        allowed_situation_types: the situation types the block accepts (empty: all).
        max_evidence: how many items the learner may hold in the block; the instance's
            ``MAX_EVIDENCE_PER_BLOCK`` applies when lower (or when None is given).
        claims: the competences the situation shows, ``[{"competence": identifier, "justification": text}]``;
            None leaves them unchanged. Only competences the block offers are accepted.
        framework_identifier, competence_identifiers: what the block offers (see ``selectable_competences``).
        expected_version: required to update: the ``edit_version`` of the text the learner changed. When
            the item was changed since (another tab), nothing is written and ``CompetencyStaleEditError``
            carries the stored item. A retried creation (same ``client_key``) counts as made on the
            item's first version.

    Returns:
        EvidenceData

    Raises:
        CompetencyRequestError, CompetencyNotFoundError, CompetencyConflictError, CompetencyStaleEditError
    """
    course_key = parse_course_key(course_key)
    usage_key = parse_usage_key(usage_key)
    values = validate(EvidenceInputSerializer, data, partial=evidence_uuid is not None)
    _check_situation_type(values.get("situation_type"), allowed_situation_types)
    parsed_claims = None
    if claims is not None:
        options = selectable_competences(
            framework_identifier=framework_identifier, competence_identifiers=competence_identifiers
        )
        parsed_claims = parse_claims(claims, options)
    with transaction.atomic():
        if evidence_uuid is not None:
            evidence = get_owned_evidence(user_id, evidence_uuid, for_update=True, usage_key=usage_key)
            require_editable(evidence)
            _update_draft(evidence, values, expected_version)
        else:
            evidence, created = _create_draft(user_id, course_key, usage_key, values, client_key, max_evidence)
            if not created:
                if not is_editable(evidence.status):
                    return get_evidence(user_id=user_id, evidence_uuid=evidence.uuid)
                # A retried creation whose first answer was lost: made on the item's first version, so
                # it does not overwrite a later save; sent again as it was stored, it changes nothing.
                evidence = get_owned_evidence(user_id, evidence.uuid, for_update=True, usage_key=usage_key)
                if _holds(evidence, values, parsed_claims):
                    return get_evidence(user_id=user_id, evidence_uuid=evidence.uuid)
                _update_draft(evidence, values, 1)
        if parsed_claims is not None:
            replace_claims(evidence, parsed_claims, framework_identifier)
    return get_evidence(user_id=user_id, evidence_uuid=evidence.uuid)


def _holds(evidence, values, parsed_claims):
    """Whether ``evidence`` already holds these field values and claims ({identifier: justification})."""
    if any(getattr(evidence, name) != value for name, value in values.items()):
        return False
    if parsed_claims is None:
        return True
    stored = EvidenceCompetence.objects.filter(evidence=evidence).values_list("competence__identifier", "justification")
    return {str(identifier): text for identifier, text in stored} == dict(parsed_claims)


def _update_draft(evidence, values, expected_version):
    """Write the learner's changed fields on a row locked for update, if made on its current text."""
    take_edit(evidence, expected_version, values)


def _check_client_key(client_key):
    """Return the client key, or None; refuse keys that are not short ASCII tokens (a browser's UUID)."""
    if not client_key:
        return None
    if not isinstance(client_key, str) or not _CLIENT_KEY.fullmatch(client_key):
        message = _("Invalid client key.")
        raise CompetencyRequestError(message, {"client_key": [message]})
    return client_key


def _create_draft(  # pylint: disable=too-many-arguments,too-many-positional-arguments
    user_id, course_key, usage_key, values, client_key, max_evidence
):
    """Return (evidence, created): a retried creation (same client key) returns the first one's item."""
    client_key = _check_client_key(client_key)
    if client_key:
        existing = Evidence.objects.filter(user_id=user_id, client_key=client_key).first()
        if existing is not None:
            return existing, False
    max_evidence = evidence_limit(max_evidence)
    if max_evidence is not None:
        held = Evidence.objects.filter(user_id=user_id, usage_key=usage_key).count()
        if held >= max_evidence:
            raise CompetencyRequestError(
                _("You have reached the maximum number of evidence items for this activity ({count}).").format(
                    count=max_evidence
                )
            )
    try:
        with transaction.atomic():
            evidence = Evidence.objects.create(
                user_id=user_id, course_key=course_key, usage_key=usage_key, client_key=client_key, **values
            )
    except IntegrityError:
        # The same client key won a race with this request: answer with what it created.
        existing = Evidence.objects.filter(user_id=user_id, client_key=client_key).first() if client_key else None
        if existing is None:
            raise
        return existing, False
    return evidence, True


@_wrap_database_errors
def submit_evidence(  # pylint: disable=too-many-arguments
    *, user_id, evidence_uuid, require_claims=False, usage_key=None, expected_version=None, block_name=None,
):
    """
    Submit one of the learner's editable items for review.

    Args:
        require_claims: whether the item must claim at least one competence, each justified
            (blocks that collect evidence for a framework ask for it).
        usage_key: when given, the item must belong to that block.
        expected_version: the ``edit_version`` of the text the learner saw; when given, a changed
            item (another tab) is not submitted: ``CompetencyStaleEditError`` carries it.
        block_name: when given, the block's display name, recorded for staff pages (``course_blocks``).

    What is submitted is frozen as an ``EvidenceVersion``: what the staff review, whatever the
    learner changes afterwards. Files removed from the draft since the previous submission go now.

    Raises:
        CompetencyRequestError naming each field still missing; CompetencyConflictError when already
        submitted; CompetencyStaleEditError.
    """
    with transaction.atomic():
        # The row is locked; its attachments and claims are read once, for the checks, the frozen
        # version and the answer.
        evidence = get_owned_evidence(
            user_id, evidence_uuid, usage_key=usage_key,
            queryset=Evidence.objects.select_for_update().prefetch_related(*_RELATED),
        )
        require_editable(evidence)
        if expected_version is not None and _expected_version(expected_version) != evidence.edit_version:
            raise stale_edit_error(user_id, evidence.uuid)
        missing = {
            name: [_("This field is required to submit.")]
            for name in REQUIRED_TO_SUBMIT
            if not str(getattr(evidence, name) or "").strip()
        }
        if require_claims:
            missing.update(_missing_justifications(evidence.claims.all()))
        if missing:
            raise CompetencyRequestError(_("Complete the missing fields before submitting."), missing)
        evidence.status = EvidenceStatus.SUBMITTED
        evidence.version += 1
        evidence.edit_version += 1
        evidence.submitted_at = timezone.now()
        evidence.save(update_fields=["status", "version", "edit_version", "submitted_at", "modified"])
        _forget_removed_files(evidence)
        if block_name is not None:
            record_block_name(evidence.course_key, evidence.usage_key, block_name)
        # A first submission in a block may add it to the course's blocks (see ``course_blocks``).
        transaction.on_commit(functools.partial(forget_unless_known, evidence.course_key, evidence.usage_key))
        return _snapshot_version(evidence)


def _forget_removed_files(evidence):
    """Delete what the learner removed from the draft and the previous version held: no version holds it now."""
    removed = [item for item in evidence.attachments.all() if not item.in_draft]
    if removed:
        Attachment.objects.filter(pk__in=[item.pk for item in removed]).delete()
        delete_on_commit([item.file_key for item in removed if item.file_key])


def submitted_content(evidence):
    """
    Return what the learner last submitted of ``evidence``: its latest ``EvidenceVersion``'s content,
    None if it was never submitted. An item submitted before versions were frozen has none: its row
    stands for it.
    """
    if not evidence.version:
        return None
    content = (
        EvidenceVersion.objects.filter(evidence=evidence, number=evidence.version)
        .values_list("content", flat=True)
        .first()
    )
    if content is None:
        return frozen_content(get_evidence(user_id=evidence.user_id, evidence_uuid=evidence.uuid))
    return read_snapshot(content)


def frozen_content(data):
    """Return what a submitted version keeps of an item's ``EvidenceData``: its snapshot (``evidence.snapshots``)."""
    return snapshot_of(data)


def submitted_attachment_uuids(evidence):
    """Return the uuids (as strings) of the attachments the latest submitted version of ``evidence`` holds."""
    content = submitted_content(evidence) or {}
    return {str(item.get("uuid")) for item in content.get("attachments") or ()}


def _missing_justifications(claims):
    """
    Return the field errors of claims not ready to submit: none chosen (``competences``), or each
    claim left unjustified, under ``competences`` and under its own field,
    ``competences.<identifier>.justification``, where the form shows it.
    """
    claims = list(claims)
    if not claims:
        return {"competences": [_("Choose at least one competence this situation shows.")]}
    empty = [claim for claim in claims if not claim.justification.strip()]
    if not empty:
        return {}
    errors = {"competences": [_("Justify each competence you chose.")]}
    for claim in empty:
        errors[f"competences.{claim.competence.identifier}.justification"] = [
            _("Explain how the situation shows this competence.")]
    return errors


def _snapshot_version(evidence):
    """
    Freeze what the learner submits as version ``evidence.version`` (the version reviews decide on);
    return the item's data. ``evidence`` has its attachments and claims prefetched.
    """
    data = evidence_to_data(evidence)
    EvidenceVersion.objects.create(
        evidence=evidence, number=evidence.version, content=frozen_content(data), submitted_at=evidence.submitted_at
    )
    return data


@_wrap_database_errors
def delete_evidence(*, user_id, evidence_uuid, usage_key=None):
    """Delete one of the learner's drafts never submitted (of the block ``usage_key``, when given), with its files."""
    with transaction.atomic():
        evidence = get_owned_evidence(user_id, evidence_uuid, for_update=True, usage_key=usage_key)
        if not is_deletable(evidence.status, evidence.version):
            raise CompetencyConflictError(_("Only drafts that were never submitted can be deleted."))
        keys = list(
            Attachment.objects.filter(evidence=evidence).exclude(file_key="").values_list("file_key", flat=True)
        )
        for parts in evidence.uploads.values_list("parts", flat=True):  # unfinished chunked uploads
            keys.extend(parts)
        evidence.delete()
        delete_on_commit(keys)
