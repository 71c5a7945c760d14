"""
Allocation: which colleague's situation a learner reads next.

Every submitted situation has a ``PeerSituation`` row (written when it is submitted). A reader is
given the row of the block that has received the fewest feedback, among those reserved by nobody
(or whose reservation ends first), never their own, never one they were already given: one query,
read in the order of the index ``cp_peer_order`` (``cp_peer_order_reviewed`` when peers read only
reviewed situations), which stops at the first row that fits. A reading expires after
``PEER_READING_HOURS``: it then holds the situation back from nobody (docs/decisions/0015-peer-feedback.rst).
"""
import datetime

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from competency_plugin.evidence.models import Evidence, EvidenceStatus, EvidenceVersion
from competency_plugin.evidence.snapshots import read_snapshot
from competency_plugin.exceptions import CompetencyPermissionDenied
from competency_plugin.peer.data import PeerReading
from competency_plugin.peer.models import PeerAllocation, PeerSituation
from competency_plugin.platform.conf import get_setting
from competency_plugin.platform.database import database_errors
from competency_plugin.platform.keys import parse_usage_key

_errors = database_errors(lambda: _("The situations of your colleagues could not be read. Please try again."))


def reading_hours():
    """How long a reader keeps a situation given to them (the ``PEER_READING_HOURS`` setting)."""
    return max(1, int(get_setting("PEER_READING_HOURS")))


def note_evidence_saved(*, evidence_id, status, version, usage_key, user_id):
    """
    Open a situation to peers once submitted: create its ``PeerSituation`` row (once; nothing for a draft).

    Called for every saved ``Evidence`` (the receiver of Django's ``post_save``): no query unless submitted,
    one then.
    """
    if status != EvidenceStatus.SUBMITTED or not version:
        return
    # One INSERT, ignored when the row exists (a resubmission): no read first, no savepoint.
    PeerSituation.objects.bulk_create(
        [PeerSituation(evidence_id=evidence_id, usage_key=usage_key, author_id=user_id, reserved_until=timezone.now())],
        ignore_conflicts=True,
    )


def note_reviewed(evidence_id):
    """Mark a situation reviewed by staff (blocks whose peers read only reviewed situations offer it then)."""
    PeerSituation.objects.filter(evidence_id=evidence_id, reviewed=False).update(reviewed=True)


def next_situation_query(*, reader_id, usage_key, peers, after_review):
    """
    The query finding the situation a reader is given next: the least-read situation of the block
    that has fewer than ``peers`` feedback, free first, neither the reader's nor one they were given.

    Its plan reads the index ``cp_peer_order`` (or ``cp_peer_order_reviewed``) in order, without a
    sort (checked by EXPLAIN in the tests and the bench).
    """
    given = PeerAllocation.objects.filter(reader_id=reader_id, evidence_id=OuterRef("evidence_id"))
    rows = PeerSituation.objects.filter(usage_key=usage_key, received__lt=peers)
    if after_review:
        # ``IN (true)``, not Django's bare ``AND "reviewed"``: an equality the planners match to the index's column.
        rows = rows.filter(reviewed__in=[True])
    return (
        rows.exclude(author_id=reader_id)
        .exclude(Exists(given))
        .order_by("received", "reserved_until")
        .values_list("id", "evidence_id")[:1]
    )


def _live_reading(reader_id, usage_key, now):
    return (
        PeerAllocation.objects.filter(reader_id=reader_id, usage_key=usage_key, answered=False, expires_at__gt=now)
        .order_by("expires_at").first()
    )


def reading_data(allocation, anonymous):
    """Return the ``PeerReading`` of an allocation: the version it gave, as submitted."""
    evidence = Evidence.objects.select_related("user").get(pk=allocation.evidence_id)
    content = (
        EvidenceVersion.objects.filter(evidence_id=allocation.evidence_id, number=allocation.version)
        .values_list("content", flat=True).first()
    )
    snapshot = read_snapshot(content)
    shared = {
        **{key: snapshot[key] for key in ("situation_type", "title", "occurred_on", "school_level", "subject",
                                          "description", "analysis", "claims")},
        # Links only: files stay between the learner and the staff.
        "links": [{"title": item["title"], "url": item["url"]}
                  for item in snapshot["attachments"] if item.get("kind") == "link"],
    }
    return PeerReading(
        uuid=allocation.uuid,
        evidence_uuid=evidence.uuid,
        version=allocation.version,
        author="" if anonymous else evidence.user.username,
        expires_at=allocation.expires_at,
        content=shared,
    )


def current_reading(*, reader_id, usage_key, settings):
    """Return the reader's unanswered, unexpired reading in the block as ``PeerReading``, or None."""
    allocation = _live_reading(reader_id, parse_usage_key(usage_key), timezone.now())
    return reading_data(allocation, settings.anonymous) if allocation else None


def may_read(reader_id, usage_key):
    """Whether the learner submitted a situation in the block (readers are authors first)."""
    return Evidence.objects.filter(user_id=reader_id, usage_key=usage_key, version__gt=0).exists()


@_errors
def request_reading(*, reader_id, usage_key, settings):
    """
    Give the reader a colleague's situation of the block to read, or the one they hold already.

    Returns:
        PeerReading, or None when no situation is waiting for a reader.

    Raises:
        CompetencyPermissionDenied: peer feedback is off, or the reader submitted nothing here.
    """
    usage_key = parse_usage_key(usage_key)
    if not settings.enabled:
        raise CompetencyPermissionDenied(_("Peer feedback is not offered in this activity."))
    if not may_read(reader_id, usage_key):
        raise CompetencyPermissionDenied(_("Submit a situation of your own before reading your colleagues'."))
    now = timezone.now()
    held = _live_reading(reader_id, usage_key, now)
    if held is not None:
        return reading_data(held, settings.anonymous)
    expires_at = now + datetime.timedelta(hours=reading_hours())
    try:
        with transaction.atomic():
            found = list(next_situation_query(
                reader_id=reader_id, usage_key=usage_key, peers=settings.peers,
                after_review=settings.after_review,
            ))
            if not found:
                return None
            situation_id, evidence_id = found[0]
            version = Evidence.objects.filter(pk=evidence_id).values_list("version", flat=True).first()
            allocation = PeerAllocation.objects.create(
                reader_id=reader_id, evidence_id=evidence_id, usage_key=usage_key, version=version,
                expires_at=expires_at,
            )
            PeerSituation.objects.filter(pk=situation_id).update(reserved_until=expires_at)
    except IntegrityError:
        # The same reader asked twice at once: the other request gave them a situation.
        held = _live_reading(reader_id, usage_key, now)
        return reading_data(held, settings.anonymous) if held else None
    return reading_data(allocation, settings.anonymous)
