"""
The course-wide review queue: the evidence awaiting staff, a page at a time, and the blocks it can
be filtered on.
"""
import math

from django.db.models import OuterRef, Subquery
from django.db.models.fields.json import KeyTextTransform
from django.utils.translation import gettext as _

from competency_plugin.evidence import services as evidence_service
from competency_plugin.evidence.course_blocks import course_blocks
from competency_plugin.evidence.models import Evidence, EvidenceStatus, EvidenceVersion
from competency_plugin.platform.database import database_errors
from competency_plugin.review.data import QueueItem, QueuePage
from competency_plugin.review.services import DEFAULT_PAGE_SIZE, REVIEWABLE_STATUSES

# Database errors of the staff's reads (contention gets a retry hint), as in ``review.services``.
_read_errors = database_errors(lambda: _("The evidence could not be read. Please try again."))


@_read_errors
def review_queue(*, course_key, usage_key=None, statuses=(EvidenceStatus.SUBMITTED,), learner="", page=1,
                 page_size=DEFAULT_PAGE_SIZE):
    """
    Return a page of the evidence awaiting staff in a course (or one block), newest submissions first.

    Two queries whatever the queue's length: the count and the page.

    Args:
        statuses: evidence statuses to list (drafts are never listed).
        learner: part of a username to filter on.
    """
    course_key = evidence_service.parse_course_key(course_key)
    statuses = [status for status in statuses if status in REVIEWABLE_STATUSES] or list(REVIEWABLE_STATUSES)
    queryset = Evidence.objects.filter(course_key=course_key, status__in=statuses, version__gt=0)
    if usage_key is not None:
        queryset = queryset.filter(usage_key=evidence_service.parse_usage_key(usage_key))
    if learner:
        queryset = queryset.filter(user__username__icontains=str(learner)[:150])
    count = queryset.count()
    pages = max(1, math.ceil(count / page_size))
    page = min(max(1, int(page)), pages)
    # The title and kind as last submitted: a learner revising their draft keeps their changes to themselves.
    latest = EvidenceVersion.objects.filter(evidence_id=OuterRef("pk"), number=OuterRef("version"))
    rows = (
        queryset.select_related("user")
        .annotate(
            submitted_title=Subquery(latest.values(text=KeyTextTransform("title", "content"))[:1]),
            submitted_type=Subquery(latest.values(text=KeyTextTransform("situation_type", "content"))[:1]),
        )
        .order_by("-submitted_at", "-id")[(page - 1) * page_size: page * page_size]
    )
    items = tuple(
        QueueItem(
            uuid=row.uuid,
            usage_key=str(row.usage_key),
            learner=row.user.username,
            title=row.title if row.submitted_title is None else row.submitted_title,
            situation_type=row.situation_type if row.submitted_type is None else row.submitted_type,
            status=row.status,
            version=row.version,
            submitted_at=row.submitted_at,
        )
        for row in rows
    )
    return QueuePage(items=items, count=count, page=page, pages=pages)


def review_blocks(*, course_key):
    """
    Return the usage keys (strings, sorted) of the course's blocks holding submitted evidence (one
    query, none while the course's blocks are cached).

    The staff page offers them as its block filter.
    """
    return sorted(course_blocks(evidence_service.parse_course_key(course_key)))
