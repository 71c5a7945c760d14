"""How many items a learner holds in a block, by where they stand, and how many they may hold."""
from django.db.models import Count, Q

from competency_plugin.evidence.data import EvidenceCounts
from competency_plugin.evidence.models import Evidence, EvidenceStatus
from competency_plugin.platform.conf import get_setting
from competency_plugin.platform.keys import parse_usage_key


def count_submitted(*, user_id, usage_key):
    """Return how many of the learner's items in the block have been submitted at least once."""
    usage_key = parse_usage_key(usage_key)
    return Evidence.objects.filter(user_id=user_id, usage_key=usage_key, version__gt=0).count()


def evidence_limit(max_evidence=None):
    """How many items a learner may hold in a block: the block may lower the instance's bound, never raise it."""
    bounds = [value for value in (max_evidence, get_setting("MAX_EVIDENCE_PER_BLOCK")) if value is not None]
    return min(bounds) if bounds else None


def count_evidence(*, user_id, usage_key, max_evidence=None):
    """
    Return the learner's ``EvidenceCounts`` in a block (one query); ``max_evidence``: the block's bound.

    Besides the items recorded and submitted at least once, it counts those awaiting review, those
    to revise and those accepted: "submitted" alone would count a situation sent back for revision.
    """
    usage_key = parse_usage_key(usage_key)
    counts = Evidence.objects.filter(user_id=user_id, usage_key=usage_key).aggregate(
        recorded=Count("id"),
        submitted=Count("id", filter=Q(version__gt=0)),
        awaiting_review=Count("id", filter=Q(version__gt=0, status=EvidenceStatus.SUBMITTED)),
        to_revise=Count("id", filter=Q(status=EvidenceStatus.REVISION_REQUESTED)),
        accepted=Count("id", filter=Q(status=EvidenceStatus.ACCEPTED)),
    )
    return EvidenceCounts(limit=evidence_limit(max_evidence), **counts)
