"""
What the block learns from its runtime: who the learner is and where the block lives.

The LMS gives ``edx-platform.*`` user attributes and opaque-key usage ids; the xblock-sdk
workbench gives string usage ids, which are mapped here onto stable keys of a demo course.
"""
import dataclasses
import functools
import re
from typing import Callable

from django.conf import settings
from django.utils import translation
from opaque_keys.edx.keys import UsageKey
from opaque_keys.edx.locator import BlockUsageLocator, CourseLocator

WORKBENCH_COURSE = CourseLocator("workbench", "portfolio", "demo")


def plugin_api():
    """Return ``competency_plugin.api``, imported when first needed (Django is set up by then)."""
    from competency_plugin import api  # pylint: disable=import-outside-toplevel

    return api


def _no_staff():
    return False


@dataclasses.dataclass(frozen=True)
class Learner:
    """
    The person viewing the block, as the runtime's user service describes them.

    ``is_staff`` is the plugin's one rule for the block's course (``competency_plugin.api.is_course_staff``),
    asked when first read (the learner's own handlers never pay for it), unless the runtime already
    says the viewer is not staff here.
    """

    user_id: int
    username: str
    staff_check: Callable[[], bool] = dataclasses.field(default=_no_staff, repr=False, compare=False)

    @functools.cached_property
    def is_staff(self):
        """Whether the viewer is staff of the block's course (global, course or organisation staff or instructor)."""
        return bool(self.staff_check())


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
        staff_check=_no_staff if _runtime_withholds_staff(attrs) else functools.partial(
            _is_course_staff, block, user_id,
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


def _runtime_withholds_staff(attrs):
    """
    Whether the runtime says the viewer is not staff here: then the block does not ask the rule.

    The LMS computes ``edx-platform.user_is_staff`` with ``has_access(user, "staff", block)``, which
    grants what the plugin's rule grants, and withholds it while staff view the course as a learner
    (``lms/djangoapps/courseware/access.py``, ``_has_access_to_course``: masquerading as a student).
    So a false value never contradicts the rule: it spares a learner's page the query and keeps
    staff viewing as learners out of the review. A true value grants nothing by itself.
    """
    return "edx-platform.user_is_staff" in attrs and not attrs["edx-platform.user_is_staff"]


def _is_course_staff(block, user_id):
    """
    The plugin's staff rule for ``user_id`` in the block's course, asked once per block instance.

    The block, the REST API and the pages apply this one rule
    (docs/decisions/0010-one-rule-for-course-staff.rst); the runtime's word only withholds it.
    """
    answers = vars(block).setdefault("_cpf_course_staff", {})
    if user_id not in answers:
        answers[user_id] = bool(plugin_api().is_course_staff(user_id=user_id, course_key=block_keys(block)[0]))
    return answers[user_id]


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


def block_language(block):
    """
    Return (language code, ``"rtl"`` or ``"ltr"``) of the text the block shows, for ``lang`` and ``dir``.

    The LMS's i18n service (``XBlockI18nService`` in ``xmodule/modulestore/django.py``) picks the
    block's own catalog for Django's active language, falling back to Django's translations when
    the block has none; the catalog in use names its language in its header. The direction is
    Django's rule (``get_language_bidi``): the base language listed in ``LANGUAGES_BIDI``.
    """
    service = block.runtime.service(block, "i18n")
    catalog = getattr(service, "translator", None) or getattr(service, "_translations", None)
    info = getattr(catalog, "info", None)
    language = (info().get("language") if callable(info) else None) or translation.get_language()
    language = translation.to_language(language or settings.LANGUAGE_CODE)
    return language, "rtl" if language.split("-")[0] in settings.LANGUAGES_BIDI else "ltr"
