"""
The course-wide review queue: the evidence awaiting staff, a page at a time, the blocks it can be
filtered on, and its filters (``QueueFilter``), read here once for the XBlock, the REST API and the
staff page: statuses, learner, block, peer feedback (``PEER_FEEDBACK_FILTERS``), page.
"""
import dataclasses
import math

from django.db.models import OuterRef, Subquery
from django.db.models.fields.json import KeyTextTransform
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import UsageKey

from competency_plugin.evidence import services as evidence_service
from competency_plugin.evidence.course_blocks import block_label, block_names, course_blocks
from competency_plugin.evidence.models import Evidence, EvidenceStatus, EvidenceVersion, PortfolioBlock
from competency_plugin.exceptions import CompetencyRequestError
from competency_plugin.peer.moderation import reported_feedback_exists
from competency_plugin.platform import compat
from competency_plugin.platform.database import database_errors
from competency_plugin.platform.text import text_problem
from competency_plugin.review.data import QueueItem, QueuePage
from competency_plugin.review.services import DEFAULT_PAGE_SIZE, REVIEWABLE_STATUSES

# Database errors of the staff's reads (contention gets a retry hint), as in ``review.services``.
_read_errors = database_errors(lambda: _("The evidence could not be read. Please try again."))

MAX_LEARNER_FILTER = 150
MAX_QUEUE_PAGE_SIZE = 100
ALL_STATUSES = "all"  # a status value standing for every reviewable status
# The peer feedback filter's values: "" lists every item; "reported": items with a peer's feedback
# their author reported, which staff have neither hidden nor kept.
PEER_REPORTED = "reported"
PEER_FEEDBACK_FILTERS = ("", PEER_REPORTED)

# The queue's named presets, as the block's form offers them in one select: value -> (the filter's
# fields, as a form sends them; label).
QUEUE_PRESETS = {
    "submitted": ({"status": EvidenceStatus.SUBMITTED.value}, gettext_lazy("Awaiting review")),
    "revision_requested": ({"status": EvidenceStatus.REVISION_REQUESTED.value},
                           EvidenceStatus.REVISION_REQUESTED.label),
    "accepted": ({"status": EvidenceStatus.ACCEPTED.value}, EvidenceStatus.ACCEPTED.label),
    ALL_STATUSES: ({"status": ALL_STATUSES}, gettext_lazy("All submitted situations")),
    "peer_reported": ({"status": ALL_STATUSES, "peer_feedback": PEER_REPORTED}, gettext_lazy("Peer feedback reported")),
}
DEFAULT_QUEUE_PRESET = "submitted"


@dataclasses.dataclass(frozen=True)
class QueueFilter:
    """
    What a review queue lists: statuses, part of a username, one block or all, items with reported
    peer feedback or all, a page and its size.

    ``QueueFilter.parse`` reads it from what callers send (a query string's ``QueryDict`` or a JSON
    object); ``review_queue(course_key=…, **queue_filter.arguments())`` lists it.
    """

    statuses: tuple = (EvidenceStatus.SUBMITTED,)
    learner: str = ""
    usage_key: UsageKey = None
    peer_feedback: str = ""
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE

    @classmethod
    def parse(cls, mapping, *, strict=True, course_key=None):
        """
        Return the filter that ``mapping`` asks for; absent fields take their defaults.

        ``status`` is repeated or comma-separated, among ``REVIEWABLE_STATUSES`` or ``"all"``;
        ``peer_feedback`` is one of ``PEER_FEEDBACK_FILTERS``.

        Args:
            mapping: a ``QueryDict`` (``getlist`` reads repeated values) or a dict.
            strict: raise on the first invalid fields; else each invalid field takes its default
                (unknown statuses are left out), as forms and pages that cannot show an error do.
            course_key: when given, a block of another course is no filter (lenient) or an error.

        Raises:
            CompetencyRequestError: (``strict`` only) ``field_errors`` names each invalid field.
        """
        errors = {}
        values = {}
        for name, reader in (("statuses", _statuses), ("learner", _learner), ("usage_key", _usage_key),
                             ("peer_feedback", _peer_feedback), ("page", _page), ("page_size", _page_size)):
            try:
                value = reader(mapping, strict, course_key)
            except CompetencyRequestError as error:
                errors.update(error.field_errors)
                continue
            if value is not None:
                values[name] = value
        if errors:
            raise CompetencyRequestError(_("Some fields are not valid."), errors)
        return cls(**values)

    @property
    def preset(self):
        """The name of the ``QUEUE_PRESETS`` entry this filter is (the default one if none)."""
        return next((name for name, (fields, _label) in QUEUE_PRESETS.items()
                     if self._same_selection(QueueFilter.parse(fields, strict=False))), DEFAULT_QUEUE_PRESET)

    def _same_selection(self, other):
        return set(self.statuses) == set(other.statuses) and self.peer_feedback == other.peer_feedback

    def arguments(self):
        """Return the keyword arguments of ``review_queue`` (all but ``course_key``)."""
        return dataclasses.asdict(self)


def queue_preset_filter(name, *, learner="", page=1):
    """Return the filter of the preset ``name`` (the default one when unknown), for ``learner`` and ``page``."""
    fields, _label = QUEUE_PRESETS.get(name, QUEUE_PRESETS[DEFAULT_QUEUE_PRESET])
    return QueueFilter.parse({**fields, "learner": learner, "page": page}, strict=False)


def read_queue_preset(mapping):
    """
    Read a form whose ``status`` names a preset (or, as the REST API sends it, the filter's own
    fields): return (the preset's name, the ``QueueFilter``), invalid fields taking their defaults.
    """
    name = mapping.get("status")
    fields = QUEUE_PRESETS[name][0] if isinstance(name, str) and name in QUEUE_PRESETS else {}
    query = QueueFilter.parse({**mapping, **fields}, strict=False)
    return query.preset, query


def _invalid(field, message):
    return CompetencyRequestError(_("Some fields are not valid."), {field: [message]})


def _values(mapping, name):
    if hasattr(mapping, "getlist"):
        return mapping.getlist(name)
    value = mapping.get(name)
    return [] if value is None else value if isinstance(value, (list, tuple)) else [value]


def _statuses(mapping, strict, _course_key):
    asked = [part.strip() for value in _values(mapping, "status") if isinstance(value, str)
             for part in value.split(",") if part.strip()]
    known = (*REVIEWABLE_STATUSES, ALL_STATUSES)
    unknown = sorted(set(asked) - set(known))
    if unknown and strict:
        raise _invalid("status", _("Unknown status: {statuses}. Choose among {allowed}.").format(
            statuses=", ".join(unknown), allowed=", ".join(REVIEWABLE_STATUSES)))
    if ALL_STATUSES in asked:
        return tuple(REVIEWABLE_STATUSES)
    return tuple(status for status in dict.fromkeys(asked) if status in REVIEWABLE_STATUSES) or None


def _learner(mapping, strict, _course_key):
    value = mapping.get("learner", "")
    if strict:
        problem = text_problem(value, MAX_LEARNER_FILTER)
        if problem:
            raise _invalid("learner", problem)
        return value.strip()
    value = value.strip()[:MAX_LEARNER_FILTER] if isinstance(value, str) else ""
    return value.encode("utf-8", "replace").decode("utf-8")  # no database stores a lone surrogate


def _usage_key(mapping, strict, course_key):
    value = mapping.get("usage_key") or ""
    if not value:
        return None
    try:
        key = UsageKey.from_string(str(value))
    except InvalidKeyError as error:
        if strict:
            raise _invalid("usage_key", _("This is not the key of a course component.")) from error
        return None
    if course_key is not None and key.course_key != course_key:
        if strict:
            raise _invalid("usage_key", _("This is not the key of a course component."))
        return None
    return key


def _peer_feedback(mapping, strict, _course_key):
    value = mapping.get("peer_feedback") or ""
    if value in PEER_FEEDBACK_FILTERS:
        return value or None
    if strict:
        raise _invalid("peer_feedback", _("Unknown peer feedback filter: choose {allowed}.").format(
            allowed=PEER_REPORTED))
    return None


def _whole_number(mapping, name, strict, maximum):
    value = mapping.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= maximum:
        return value
    if strict:
        raise _invalid(name, _("Enter a whole number from 1 to {max}.").format(max=maximum) if maximum < 10 ** 9
                       else _("Enter a whole number from 1."))
    return None


def _page(mapping, strict, _course_key):
    return _whole_number(mapping, "page", strict, 10 ** 9)


def _page_size(mapping, strict, _course_key):
    return _whole_number(mapping, "page_size", strict, MAX_QUEUE_PAGE_SIZE)


@_read_errors
def review_queue(*, course_key, usage_key=None, statuses=(EvidenceStatus.SUBMITTED,), learner="", page=1,
                 page_size=DEFAULT_PAGE_SIZE, peer_feedback=""):  # pylint: disable=too-many-arguments
    """
    Return a page of the evidence awaiting staff in a course (or one block), newest submissions first.

    Two queries whatever the queue's length: the count and the page.

    Args:
        statuses: evidence statuses to list (drafts are never listed).
        learner: part of a username to filter on.
        peer_feedback: ``"reported"``: only items with reported peer feedback still visible.
    """
    course_key = evidence_service.parse_course_key(course_key)
    statuses = [status for status in statuses if status in REVIEWABLE_STATUSES] or list(REVIEWABLE_STATUSES)
    queryset = Evidence.objects.filter(course_key=course_key, status__in=statuses, version__gt=0)
    if usage_key is not None:
        queryset = queryset.filter(usage_key=evidence_service.parse_usage_key(usage_key))
    if learner:
        queryset = queryset.filter(user__username__icontains=str(learner)[:150])
    if peer_feedback == PEER_REPORTED:
        queryset = queryset.filter(reported_feedback_exists())
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
            block_name=Subquery(
                PortfolioBlock.objects.filter(usage_key=OuterRef("usage_key")).values("display_name")[:1]),
        )
        .order_by("-submitted_at", "-id")[(page - 1) * page_size: page * page_size]
    )
    items = tuple(
        QueueItem(
            uuid=row.uuid,
            usage_key=str(row.usage_key),
            block_name=block_label(row.usage_key, row.block_name),
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
    Return [(usage key, label)] of the course's blocks holding submitted evidence, sorted by label:
    each block's recorded display name, else its block id (two queries, one while the course's
    blocks are cached).

    The staff page offers them as its block filter.
    """
    names = block_names(course_blocks(evidence_service.parse_course_key(course_key)))
    return sorted(names.items(), key=lambda pair: (pair[1].casefold(), pair[0]))


def situation_anchor(evidence_uuid):
    """Return the id of the element showing a situation in its block (the review's item), as URLs name it."""
    return f"cpf-situation-{evidence_uuid}"


def situation_url(course_key, usage_key, evidence_uuid):
    """
    Return the URL opening a situation: the unit holding its block (the LMS's ``jump_to``), with the
    situation's anchor, which the block's review script opens and scrolls to.
    """
    return f"{compat.jump_to_url(course_key, usage_key)}#{situation_anchor(evidence_uuid)}"
