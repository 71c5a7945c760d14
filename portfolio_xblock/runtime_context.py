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


# Why a view is read-only (``read_only_reason``).
MASQUERADE = "masquerade"
PREVIEW = "preview"


def masquerading_staff(block):
    """
    Return the Django user of the staff member viewing the block as another user, or None.

    With "View as specific learner" (``lms/djangoapps/courseware/masquerade.py``,
    ``setup_masquerade``) the LMS binds the runtime to the learner and keeps the staff member on
    that learner's user object as ``real_user``; ``block_render.prepare_runtime_for_user`` hands
    that object to the user service (``DjangoXBlockUserService``, which keeps it as
    ``_django_user`` and exposes only the learner in its ``opt_attrs``). The user service is
    the one place a block can see it, so it is read there.
    """
    service = block.runtime.service(block, "user")
    bound = getattr(service, "_django_user", None)
    real = getattr(bound, "real_user", None)
    if real is None or real is bound or getattr(real, "pk", None) == getattr(bound, "pk", None):
        return None
    return real


def is_studio_preview(block):
    """
    Whether the block is rendered by Studio's preview (``cms/djangoapps/contentstore/views/preview.py``).

    Studio's preview runtime is bound to the author, and ``_prepare_runtime_for_preview`` marks it
    with ``is_author_mode = True``.
    """
    return getattr(block.runtime, "is_author_mode", False) is True


def read_only_reason(block):
    """
    Return why the viewer may look but not write: ``PREVIEW``, ``MASQUERADE``, or None.

    In both cases the runtime is bound to someone (the author, the learner) who is not the person
    acting: what they would record would be written in someone else's name, or as the author's
    own evidence from a preview.
    """
    if is_studio_preview(block):
        return PREVIEW
    if masquerading_staff(block) is not None:
        return MASQUERADE
    return None


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
