"""
What the block learns from its runtime: who the learner is and where the block lives.

The LMS gives ``edx-platform.*`` user attributes and opaque-key usage ids; the xblock-sdk
workbench gives string usage ids, which are mapped here onto stable keys of a demo course.
"""
import dataclasses
import re

from opaque_keys.edx.keys import UsageKey
from opaque_keys.edx.locator import BlockUsageLocator, CourseLocator

WORKBENCH_COURSE = CourseLocator("workbench", "portfolio", "demo")


@dataclasses.dataclass(frozen=True)
class Learner:
    """The person viewing the block, as the runtime's user service describes them."""

    user_id: int
    username: str
    is_staff: bool


def current_learner(block):
    """Return the current ``Learner``, or None for an anonymous viewer or a preview."""
    user = block.runtime.service(block, "user").get_current_user()
    attrs = getattr(user, "opt_attrs", {}) or {}
    user_id = attrs.get("edx-platform.user_id")
    if user_id is None:
        return None
    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        return None
    return Learner(
        user_id=user_id,
        username=attrs.get("edx-platform.username", ""),
        is_staff=bool(attrs.get("edx-platform.user_is_staff")) or attrs.get("edx-platform.user_role") in (
            "staff", "instructor", "administrator",
        ),
    )


def block_keys(block):
    """Return (course key, usage key) of the block, as opaque keys."""
    usage_id = block.scope_ids.usage_id
    if isinstance(usage_id, UsageKey):
        return usage_id.context_key, usage_id
    block_id = re.sub(r"[^\w-]", "_", str(usage_id))
    return WORKBENCH_COURSE, BlockUsageLocator(WORKBENCH_COURSE, block.scope_ids.block_type, block_id)


def dom_id(block):
    """Return a prefix for HTML ids, unique to the block on the page."""
    return "cpf-" + re.sub(r"[^A-Za-z0-9_-]", "-", str(block.scope_ids.usage_id))
