"""
A learner's items in a block, a page at a time (issue 15): the page shows the latest ones and loads
older ones on demand, so that its cost does not grow with the learner's items (ADR 0016).
"""
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from competency_plugin.evidence.convert import evidence_list_data
from competency_plugin.evidence.data import EvidencePage
from competency_plugin.evidence.models import Evidence
from competency_plugin.exceptions import CompetencyNotFoundError
from competency_plugin.platform.keys import parse_usage_key

__all__ = ["list_evidence_page"]


def list_evidence_page(*, user_id, usage_key, limit, before=None):
    """
    Return an ``EvidencePage``: up to ``limit`` of the learner's items in the block, newest first
    (three queries, four with ``before``), and whether older ones follow.

    Args:
        before: the uuid of the oldest item already shown: the page holds the items older than it
            (items recorded or deleted meanwhile shift nothing, as an offset would).

    Raises:
        CompetencyNotFoundError when ``before`` is not one of the learner's items in the block.
    """
    items = Evidence.objects.filter(user_id=user_id, usage_key=parse_usage_key(usage_key))
    if before:
        try:
            anchor = items.filter(uuid=str(before)).values_list("created", "id").first()
        except (ValidationError, ValueError):
            anchor = None
        if anchor is None:
            raise CompetencyNotFoundError(_("This evidence item does not exist."))
        created, pk = anchor
        items = items.filter(Q(created__lt=created) | Q(created=created, id__lt=pk))
    rows = list(items.order_by("-created", "-id")[:limit + 1])
    return EvidencePage(items=evidence_list_data(rows[:limit]), more=len(rows) > limit)
