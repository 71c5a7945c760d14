"""
The portfolio blocks of a course: those holding submitted evidence, what "every portfolio
activity completed" asks for and what the staff's queue offers as a filter.

Finding them reads every submitted item of the course (about 0.15 s for 100,000 items), so the
set is kept in Django's cache (the LMS's is shared by its processes). A first submission in a
block the cached set lacks forgets it once committed; a block left without submitted evidence
(a retired learner's) drops out when the entry expires.

The blocks' display names are recorded here too (``PortfolioBlock``): each submission writes the
name the block had when the learner submitted, so that staff pages name a block rather than show
its key (``docs/decisions/0018-block-and-course-names.rst``).
"""
import hashlib

from django.core.cache import cache
from django.db import connection
from django.db.models import CharField
from django.db.models.functions import Cast

from competency_plugin.evidence.models import Evidence, PortfolioBlock

CACHE_SECONDS = 300
MAX_NAME_LENGTH = 255


def _cache_key(course_key):
    # Hashed: memcached takes keys of at most 250 characters, and course keys may be longer.
    return "competency_plugin.course_blocks.v1." + hashlib.sha256(str(course_key).encode()).hexdigest()


def submitted_in_course(course_key, user_id=None):
    """Submitted items of a course (of one learner), with ``block``: their usage key as stored text."""
    items = Evidence.objects.filter(course_key=course_key, version__gt=0)
    if user_id is not None:
        items = items.filter(user_id=user_id)
    # Keys compared as stored text (parsing one opaque key per row would cost more than the query), and
    # no default ordering: its columns would enter the SELECT and defeat DISTINCT (one row per item).
    return items.order_by().annotate(block=Cast("usage_key", CharField()))


def course_blocks(course_key):
    """Return the usage keys (text, a frozenset) of the course's blocks holding submitted evidence."""
    key = _cache_key(course_key)
    blocks = cache.get(key)
    if blocks is None:
        blocks = frozenset(submitted_in_course(course_key).values_list("block", flat=True).distinct())
        cache.set(key, blocks, CACHE_SECONDS)
    return blocks


def forget_unless_known(course_key, usage_key):
    """Forget the course's cached blocks if ``usage_key`` is not among them (call once a submission commits)."""
    key = _cache_key(course_key)
    blocks = cache.get(key)
    if blocks is not None and str(usage_key) not in blocks:
        cache.delete(key)


def record_block_name(course_key, usage_key, display_name):
    """
    Record the display name of the block ``usage_key`` (one upsert, whatever was stored before).

    A name that is not text, or blank, is recorded as "": pages then show the block's id.
    """
    name = display_name.strip()[:MAX_NAME_LENGTH] if isinstance(display_name, str) else ""
    # MariaDB's upsert (ON DUPLICATE KEY UPDATE) takes no conflict target; SQLite's and PostgreSQL's need one.
    target = ["usage_key"] if connection.features.supports_update_conflicts_with_target else None
    PortfolioBlock.objects.bulk_create(
        [PortfolioBlock(usage_key=usage_key, course_key=course_key, display_name=name)],
        update_conflicts=True, unique_fields=target, update_fields=["display_name", "course_key", "modified"],
    )


def block_label(usage_key, display_name=""):
    """How pages name a block: its recorded display name, else the block id of its key."""
    if display_name:
        return display_name
    return getattr(usage_key, "block_id", None) or str(usage_key).rsplit("@", 1)[-1]


def block_names(usage_keys):
    """Return {usage key text: label} for blocks (one query): recorded names, else block ids."""
    keys = [str(key) for key in usage_keys]
    names = dict(PortfolioBlock.objects.filter(usage_key__in=keys).annotate(
        key=Cast("usage_key", CharField())).values_list("key", "display_name")) if keys else {}
    return {key: block_label(key, names.get(key, "")) for key in keys}
