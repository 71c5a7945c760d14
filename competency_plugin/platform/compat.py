"""
The one module that reaches into edx-platform (the LMS and Studio).

Every platform import is made here, lazily inside a function, so that the bundle imports, runs
its demo and tests outside edx-platform. Each function has a fallback for that case, named in its
docstring. Tests patch these functions (``mock.patch("competency_plugin.platform.compat.is_course_staff")``)
rather than the platform.
"""
import logging

from django.conf import settings
from django.dispatch import Signal
from django.urls import NoReverseMatch, reverse
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey

log = logging.getLogger(__name__)

# The user preference in which the LMS stores a learner's language (``lang_pref.LANGUAGE_KEY``).
LANGUAGE_PREFERENCE_KEY = "pref-lang"


def _staff_roles():
    """
    Return the LMS's role classes that make someone staff of a course, or None outside the platform.

    They are (course roles, organisation roles) of ``common.djangoapps.student.roles``: the course's
    staff (whose check includes its limited-staff variant) and instructors, the organisation's staff
    and instructors.
    """
    try:
        from common.djangoapps.student.roles import (  # pylint: disable=import-outside-toplevel
            CourseInstructorRole,
            CourseStaffRole,
            OrgInstructorRole,
            OrgStaffRole,
        )
    except ImportError:
        return None
    return (CourseStaffRole, CourseInstructorRole), (OrgStaffRole, OrgInstructorRole)


def is_course_staff(user, course_key):
    """
    Whether ``user`` is staff of the course: the one rule of the block, the REST API and the pages.

    It grants what the LMS's ``has_access(user, "staff", course)`` grants
    (``lms/djangoapps/courseware/access.py``, ``administrative_accesses_to_course_for_user``):
    global staff (``is_staff``), the course's staff, limited staff and instructors, and the staff and
    instructors of the course's organisation, read with ``common.djangoapps.student.roles`` (which
    caches a user's roles on the user object: one query per request). Outside the platform only
    global staff qualify. Anonymous and inactive users never do. See
    ``docs/decisions/0010-one-rule-for-course-staff.rst``.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", True):
        return False
    if user.is_staff:
        return True
    if isinstance(course_key, str):
        try:
            course_key = CourseKey.from_string(course_key)
        except InvalidKeyError:
            return False
    if course_key is None:
        return False
    roles = _staff_roles()
    if roles is None:
        return False
    course_roles, org_roles = roles
    return any(role(course_key).has_user(user) for role in course_roles) or any(
        role(course_key.org).has_user(user) for role in org_roles
    )


def generate_certificate(user, course_key):
    """
    Ask the LMS to generate ``user``'s certificate of the course, as it does when a learner passes.

    In the LMS: ``lms.djangoapps.certificates.api.generate_certificate_task(user, course_key)``, the
    call its passing-grade receiver makes (``lms/djangoapps/certificates/signals.py``), skipped like
    there when automatic generation is off (``auto_certificate_generation_enabled``). The LMS then
    checks everything itself (grade, enrolment mode, existing certificate…) and runs the certificate
    filter again. Returns whether it queued a generation or recorded a status; a refusal by the
    filter (``CertificateGenerationNotAllowed``) returns False. Outside the platform: logs, returns False.
    """
    try:
        from lms.djangoapps.certificates import api as certificates_api  # pylint: disable=import-outside-toplevel
        from lms.djangoapps.certificates.generation_handler import (  # pylint: disable=import-outside-toplevel
            CertificateGenerationNotAllowed,
        )
    except ImportError:
        log.info("No LMS here: the certificate of user %s in %s is not generated.", getattr(user, "pk", None),
                 course_key)
        return False
    if not certificates_api.auto_certificate_generation_enabled():
        log.info("Automatic certificate generation is off: none asked for user %s in %s.", user.pk, course_key)
        return False
    try:
        return bool(certificates_api.generate_certificate_task(user, course_key))
    except CertificateGenerationNotAllowed:
        log.info("The LMS did not generate the certificate of user %s in %s.", user.pk, course_key, exc_info=True)
        return False


def enrolled_learners(course_key):
    """
    Return [(user id, username)] of the learners actively enrolled in the course (one query).

    In the LMS: ``CourseEnrollment.objects.users_enrolled_in``. Outside the platform: [] (the
    plugin then knows a course's learners from their evidence only).
    """
    try:
        from common.djangoapps.student.models import CourseEnrollment  # pylint: disable=import-outside-toplevel
    except ImportError:
        return []
    return list(CourseEnrollment.objects.users_enrolled_in(course_key).values_list("pk", "username"))


def user_language(user):
    """
    Return the language code to write to ``user`` in: their LMS language preference, else ``LANGUAGE_CODE``.

    The preference is read with ``openedx.core.djangoapps.user_api.preferences.api.get_user_preference``;
    outside the platform, or when it cannot be read, the site's ``LANGUAGE_CODE`` is used.
    """
    default = settings.LANGUAGE_CODE
    if user is None:
        return default
    try:
        from openedx.core.djangoapps.user_api.preferences.api import (  # pylint: disable=import-outside-toplevel
            get_user_preference,
        )
    except ImportError:
        return default
    try:
        return get_user_preference(user, LANGUAGE_PREFERENCE_KEY) or default
    except Exception:  # pylint: disable=broad-except
        # The preference API wraps its own failures; a language is never worth failing a caller.
        log.warning("Could not read the language preference of user %s", getattr(user, "pk", None), exc_info=True)
        return default


def lms_root_url():
    """Return the LMS's root URL (``settings.LMS_ROOT_URL``, e.g. ``https://lms.example.org``), or "" when unknown."""
    return getattr(settings, "LMS_ROOT_URL", "") or ""


def jump_to_url(course_key, usage_key):
    """
    Return the URL path that opens the unit holding the block ``usage_key`` in the courseware.

    In the LMS this is its ``jump_to`` route; elsewhere the same path
    ``/courses/{course_key}/jump_to/{usage_key}`` is built by hand.
    """
    try:
        return reverse("jump_to", kwargs={"course_id": str(course_key), "location": str(usage_key)})
    except NoReverseMatch:
        return f"/courses/{course_key}/jump_to/{usage_key}"


def is_enrolled(user, course_key):
    """
    Whether ``user`` is actively enrolled in the course.

    In the LMS: ``CourseEnrollment.is_enrolled``. Outside the platform, which has no enrolments,
    every signed-in active user counts as enrolled. Anonymous users never are.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", True):
        return False
    try:
        from common.djangoapps.student.models import CourseEnrollment  # pylint: disable=import-outside-toplevel
    except ImportError:
        return True
    return bool(CourseEnrollment.is_enrolled(user, course_key))


class FallbackCourseTab:
    """
    Stand in for the platform's ``xmodule.tabs.CourseTab`` outside edx-platform.

    It has the part of that interface the plugin's tab uses: a ``tab_dict``, ``name`` and ``tab_id``,
    ``link_func(course, reverse_func)`` built from ``view_name``, item access and ``to_json``.
    """

    type = ""
    title = None
    priority = None
    view_name = None
    is_dynamic = False
    is_default = True
    is_hideable = False
    is_hidden = False
    is_movable = False
    is_collection = False
    allow_multiple = False
    course_staff_only = False

    def __init__(self, tab_dict):
        self.tab_dict = tab_dict
        self.name = tab_dict.get("name", self.title)
        self.tab_id = tab_dict.get("tab_id", self.type)

    @property
    def link_func(self):
        """A function of (course, reverse_func) returning the tab's URL: ``view_name`` reversed with the course id."""
        return self.tab_dict.get(
            "link_func", lambda course, reverse_func: reverse_func(self.view_name, args=[str(course.id)])
        )

    @classmethod
    def is_enabled(cls, course, user=None):
        """Whether the tab is shown in ``course`` to ``user``: subclasses decide."""
        raise NotImplementedError

    def __getitem__(self, key):
        if not hasattr(self, key):
            raise KeyError(key)
        return getattr(self, key)

    def get(self, key, default=None):
        """Like ``dict.get``."""
        return getattr(self, key, default)

    def to_json(self):
        """Return the tab as the course stores it."""
        return {"type": self.type, "name": self.name, "course_staff_only": self.course_staff_only}


def course_tab_class():
    """Return the platform's ``xmodule.tabs.CourseTab``, or ``FallbackCourseTab`` outside edx-platform."""
    try:
        from xmodule.tabs import CourseTab  # pylint: disable=import-outside-toplevel
    except ImportError:
        return FallbackCourseTab
    return CourseTab


def course_display_name(course_key):
    """
    Return the course's name as learners see it: the LMS's ``CourseOverview.display_name``.

    ``CourseOverview.get_from_id`` (``openedx/core/djangoapps/content/course_overviews/models.py``)
    reads the overview's row (cached for the request), else builds it from the modulestore; it
    raises ``DoesNotExist`` for a course the LMS does not know and ``IOError`` when the modulestore
    fails to load it. Outside the platform, for an unknown or unloadable course, or a course without
    a name, the course key itself: a name is never worth failing a page.
    """
    try:
        from openedx.core.djangoapps.content.course_overviews.models import (  # pylint: disable=import-outside-toplevel
            CourseOverview,
        )
    except ImportError:
        return str(course_key)
    try:
        return CourseOverview.get_from_id(course_key).display_name or str(course_key)
    except CourseOverview.DoesNotExist:
        return str(course_key)
    except OSError:
        log.warning("The LMS could not load the course %s: its key stands for its name.", course_key, exc_info=True)
        return str(course_key)


# Stands in for the LMS's retirement signal outside the platform (sent with ``user=``, as the LMS sends it).
_USER_RETIRE_LMS_CRITICAL_FALLBACK = Signal()


def user_retire_lms_critical_signal():
    """
    Return the signal the LMS sends when it retires an account: ``USER_RETIRE_LMS_CRITICAL``.

    In the LMS it is ``openedx.core.djangoapps.user_api.accounts.signals.USER_RETIRE_LMS_CRITICAL``,
    sent with ``user`` (and, in recent releases, ``retired_username`` and ``retired_email``) during
    the retirement pipeline's LMS step. Outside the platform, a local ``Signal`` that tests send.
    """
    try:
        from openedx.core.djangoapps.user_api.accounts.signals import (  # pylint: disable=import-outside-toplevel
            USER_RETIRE_LMS_CRITICAL,
        )
    except ImportError:
        return _USER_RETIRE_LMS_CRITICAL_FALLBACK
    return USER_RETIRE_LMS_CRITICAL


# Stands in for the grades app's ``SCORE_PUBLISHED`` outside the platform (sent with the same arguments).
_SCORE_PUBLISHED_FALLBACK = Signal()


def score_published_signal():
    """
    Return the signal by which a block's score reaches the grades app: ``SCORE_PUBLISHED``.

    In the LMS it is ``lms.djangoapps.grades.api.signals.SCORE_PUBLISHED`` (defined in
    ``lms/djangoapps/grades/signals/signals.py``; ``score_published_handler`` of
    ``signals/handlers.py`` writes the learner's StudentModule row and recomputes the grades).
    Outside the platform, a local ``Signal`` nobody listens to unless a test connects a receiver:
    the workbench demo has no gradebook.
    """
    try:
        from lms.djangoapps.grades.api import signals as grades_signals  # pylint: disable=import-outside-toplevel
    except ImportError:
        return _SCORE_PUBLISHED_FALLBACK
    return grades_signals.SCORE_PUBLISHED


def publish_score(block, user, raw_earned, raw_possible, only_if_higher=False):
    """
    Send ``block``'s score of ``user`` (a Django user) to the grades app, whoever the runtime is bound to.

    The LMS's publish service (``xmodule/services.py``, ``EventPublishingService._handle_grade_event``)
    sends ``SCORE_PUBLISHED`` for the runtime's bound user only: a reviewer's decision published
    through ``runtime.publish`` would score the reviewer. This sends the same signal with the
    learner as ``user``, as xblock-lti-consumer's ``lti_consumer/plugin/compat.py`` ``publish_grade``
    does for scores an LTI tool posts about a learner. Outside the platform the stand-in signal of
    ``score_published_signal`` is sent.
    """
    score_published_signal().send(
        sender=None,
        block=block,
        user=user,
        raw_earned=raw_earned,
        raw_possible=raw_possible,
        only_if_higher=only_if_higher,
        score_deleted=None,
        grader_response=None,
    )


def student_upload_max_size():
    """
    Return the largest file (bytes) the LMS lets through to a block's handler, or None when it sets none.

    The LMS refuses, with a 413, handler requests carrying a file larger than its Django setting
    ``STUDENT_FILEUPLOAD_MAX_SIZE`` (``lms/djangoapps/courseware/block_render.py``,
    ``_check_files_limits``; 4 MB, 4,000,000 bytes, in ``lms/envs/common.py``), before the block
    sees the request. Outside the platform the setting is usually absent: no cap.
    """
    value = getattr(settings, "STUDENT_FILEUPLOAD_MAX_SIZE", None)
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        log.warning("STUDENT_FILEUPLOAD_MAX_SIZE is not a number of bytes: %r", value)
        return None


def __getattr__(name):
    """``compat.USER_RETIRE_LMS_CRITICAL``, resolved when first read: the plugin's signals config names it."""
    if name == "USER_RETIRE_LMS_CRITICAL":
        return user_retire_lms_critical_signal()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
