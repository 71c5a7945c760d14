"""
The learner's older situations, ``OLDER_PAGE_SIZE`` at a time (``older_evidence``): the page shows the
latest ``PAGE_SIZE``.
"""
from portfolio_xblock.presentation import _editable_fields, plugin_api, render_items
from portfolio_xblock.runtime_context import block_keys, read_only_reason

# Older situations come ten at a time: asked for, they are worth the bytes.
OLDER_PAGE_SIZE = 10


def older_items(block, learner, before):
    """
    What the list shows of the learner's items older than ``before`` (the uuid of the oldest shown):
    their ``<li>``, the fields of the drafts among them (for the form), the uuid to ask from next
    (``before``; "" when no older item follows) and a sentence saying how many came.
    """
    page = plugin_api().list_evidence_page(
        user_id=learner.user_id, usage_key=block_keys(block)[1], limit=OLDER_PAGE_SIZE, before=before,
    )
    read_only = read_only_reason(block) is not None
    count = len(page.items)
    return {
        "items_html": render_items(block, page.items, learner),
        "evidence": [] if read_only else [_editable_fields(item) for item in page.items if item.editable],
        "before": str(page.items[-1].uuid) if page.more else "",
        "message": block.ngettext(
            "{count} older situation shown.", "{count} older situations shown.", count
        ).format(count=count),
    }
