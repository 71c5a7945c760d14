"""
``competency_plugin.platform.compat``, the one adapter to edx-platform: its fallbacks outside the platform,
and what it asks of the platform when the platform's modules are there (stood in for by fake
modules with the platform's import paths).
"""
import sys
import types
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.urls import re_path
from opaque_keys.edx.keys import CourseKey

from competency_plugin.platform import compat
from tests.factories import UserFactory
from tests.platform_doubles import installed, roles

pytestmark = pytest.mark.django_db

COURSE = CourseKey.from_string("course-v1:Demo+Compat+2026")
UNIT = COURSE.make_usage_key("portfolio", "situations")
OTHER = CourseKey.from_string("course-v1:OtherOrg+Compat+2026")

# A stand-in for the LMS's ``jump_to`` route, for ``test_jump_to_url_uses_the_lms_route``.
urlpatterns = [
    re_path(r"^lms/courses/(?P<course_id>[^/]+)/jump_to/(?P<location>.*)$",
            lambda request, course_id, location: HttpResponse(), name="jump_to"),
]


def platform_modules(**attributes_by_module):
    """Patch ``sys.modules`` with fake platform modules (and their parent packages) holding ``attributes``."""
    modules = {}
    for dotted, attributes in attributes_by_module.items():
        parts = dotted.split(".")
        for end in range(1, len(parts) + 1):
            name = ".".join(parts[:end])
            modules.setdefault(name, types.ModuleType(name))
        for attribute, value in attributes.items():
            setattr(modules[dotted], attribute, value)
    return mock.patch.dict(sys.modules, modules)


# --- is_course_staff ----------------------------------------------------------------------------


def test_outside_the_platform_only_global_staff_are_course_staff():
    assert compat.is_course_staff(UserFactory(is_staff=True), COURSE)
    assert not compat.is_course_staff(UserFactory(is_superuser=True), COURSE), "the LMS's GlobalStaff is is_staff"
    assert not compat.is_course_staff(UserFactory(), COURSE)
    assert not compat.is_course_staff(AnonymousUser(), COURSE)
    assert not compat.is_course_staff(None, COURSE)
    assert not compat.is_course_staff(UserFactory(is_staff=True, is_active=False), COURSE)


@pytest.fixture(name="lms_roles")
def fixture_lms_roles():
    """The LMS's ``common.djangoapps.student.roles``, as its double (``tests.platform_doubles.roles``)."""
    with installed(**{"common.djangoapps.student.roles": roles}):
        yield roles


def _holding(role):
    user = UserFactory()
    role.add_users(user)
    return get_user_model().objects.get(pk=user.pk)  # a fresh object: no cached roles


@pytest.mark.parametrize("role", [
    roles.CourseStaffRole(COURSE), roles.CourseLimitedStaffRole(COURSE), roles.CourseInstructorRole(COURSE),
    roles.OrgStaffRole(COURSE.org), roles.OrgInstructorRole(COURSE.org),
], ids=["course-staff", "course-limited-staff", "course-instructor", "org-staff", "org-instructor"])
def test_in_the_platform_has_access_staff_roles_are_course_staff(lms_roles, role):  # pylint: disable=unused-argument
    user = _holding(role)
    assert compat.is_course_staff(user, COURSE)
    assert compat.is_course_staff(user, str(COURSE))
    assert not compat.is_course_staff(user, "not a course key")


@pytest.mark.parametrize("role", [
    roles.CourseBetaTesterRole(COURSE), roles.CourseStaffRole(OTHER), roles.CourseInstructorRole(OTHER),
    roles.OrgStaffRole("OtherOrg"), roles.OrgInstructorRole("OtherOrg"),
], ids=["beta-tester", "staff-elsewhere", "instructor-elsewhere", "org-staff-elsewhere", "org-instructor-elsewhere"])
def test_in_the_platform_other_roles_are_not_course_staff(lms_roles, role):  # pylint: disable=unused-argument
    assert not compat.is_course_staff(_holding(role), COURSE)


def test_in_the_platform_roles_are_read_once_per_user_object(lms_roles, django_assert_num_queries):
    user = _holding(lms_roles.CourseInstructorRole(COURSE))
    with django_assert_num_queries(1):
        assert compat.is_course_staff(user, COURSE)
        assert compat.is_course_staff(user, COURSE)
        assert not compat.is_course_staff(user, OTHER)
    with django_assert_num_queries(0):
        assert compat.is_course_staff(UserFactory.build(is_staff=True), OTHER), "global staff: no query"


def test_in_the_platform_inactive_role_holders_are_not_course_staff(lms_roles):
    user = _holding(lms_roles.CourseStaffRole(COURSE))
    user.is_active = False
    assert not compat.is_course_staff(user, COURSE)


# --- enrolled_learners --------------------------------------------------------------------------


def test_enrolled_learners_outside_the_platform_is_empty():
    assert not compat.enrolled_learners(COURSE)


def test_enrolled_learners_in_the_platform():
    amina, bruno = UserFactory(username="amina"), UserFactory(username="bruno")
    UserFactory(username="not-enrolled")
    manager = mock.Mock()
    manager.users_enrolled_in.return_value = get_user_model().objects.filter(pk__in=[amina.pk, bruno.pk])
    enrollment = types.SimpleNamespace(objects=manager)
    with platform_modules(**{"common.djangoapps.student.models": {"CourseEnrollment": enrollment}}):
        learners = compat.enrolled_learners(COURSE)
    manager.users_enrolled_in.assert_called_once_with(COURSE)
    assert sorted(learners) == sorted([(amina.pk, "amina"), (bruno.pk, "bruno")])


# --- user_language ------------------------------------------------------------------------------


PREFERENCES = "openedx.core.djangoapps.user_api.preferences.api"


def test_user_language_outside_the_platform_is_the_site_language(settings):
    settings.LANGUAGE_CODE = "fr"
    assert compat.user_language(UserFactory()) == "fr"
    assert compat.user_language(None) == "fr"


def test_user_language_reads_the_lms_preference(settings):
    settings.LANGUAGE_CODE = "fr"
    user = UserFactory()
    get_user_preference = mock.Mock(return_value="en")
    with platform_modules(**{PREFERENCES: {"get_user_preference": get_user_preference}}):
        assert compat.user_language(user) == "en"
    get_user_preference.assert_called_once_with(user, "pref-lang")


@pytest.mark.parametrize("preference", [None, "", RuntimeError("preferences unavailable")])
def test_user_language_without_a_usable_preference_is_the_site_language(settings, preference):
    settings.LANGUAGE_CODE = "fr"
    get_user_preference = mock.Mock(side_effect=[preference] if isinstance(preference, Exception) else None,
                                    return_value=preference)
    with platform_modules(**{PREFERENCES: {"get_user_preference": get_user_preference}}):
        assert compat.user_language(UserFactory()) == "fr"


# --- URLs ---------------------------------------------------------------------------------------


def test_jump_to_url_outside_the_lms_is_built_by_hand():
    assert compat.jump_to_url(COURSE, UNIT) == f"/courses/{COURSE}/jump_to/{UNIT}"


@pytest.mark.urls(__name__)
def test_jump_to_url_uses_the_lms_route():
    assert compat.jump_to_url(COURSE, str(UNIT)) == f"/lms/courses/{COURSE}/jump_to/{UNIT}"


def test_lms_root_url(settings):
    settings.LMS_ROOT_URL = "https://lms.example.org"
    assert compat.lms_root_url() == "https://lms.example.org"
    del settings.LMS_ROOT_URL
    assert compat.lms_root_url() == ""


# --- scores and the LMS's upload cap --------------------------------------------------------------


def score_receiver(signal):
    """Connect a mock receiver to ``signal`` for the test; return it."""
    receiver = mock.Mock()
    signal.connect(receiver, dispatch_uid="test_compat.score_receiver")
    return receiver


def test_publish_score_sends_the_stand_in_signal_outside_the_platform():
    signal = compat.score_published_signal()
    assert signal is compat._SCORE_PUBLISHED_FALLBACK  # pylint: disable=protected-access
    receiver = score_receiver(signal)
    try:
        learner, block = UserFactory(), object()
        compat.publish_score(block, learner, 1.5, 3.0)
    finally:
        signal.disconnect(dispatch_uid="test_compat.score_receiver")
    receiver.assert_called_once_with(
        signal=signal, sender=None, block=block, user=learner, raw_earned=1.5, raw_possible=3.0,
        only_if_higher=False, score_deleted=None, grader_response=None,
    )


def test_publish_score_sends_the_grades_apps_signal_in_the_platform():
    from django.dispatch import Signal  # pylint: disable=import-outside-toplevel

    score_published = Signal()
    signals_module = types.SimpleNamespace(SCORE_PUBLISHED=score_published)
    with platform_modules(**{"lms.djangoapps.grades.api": {"signals": signals_module}}):
        assert compat.score_published_signal() is score_published
        receiver = score_receiver(score_published)
        learner = UserFactory()
        compat.publish_score("block", learner, 0.0, 2.0, only_if_higher=True)
    assert receiver.call_args.kwargs["user"] is learner
    assert (receiver.call_args.kwargs["raw_earned"], receiver.call_args.kwargs["only_if_higher"]) == (0.0, True)


@pytest.mark.parametrize("value, expected", [(4_000_000, 4_000_000), ("2048", 2048), (None, None), ("four", None)])
def test_student_upload_max_size(settings, value, expected):
    settings.STUDENT_FILEUPLOAD_MAX_SIZE = value
    assert compat.student_upload_max_size() == expected


def test_student_upload_max_size_outside_the_lms(settings):
    if hasattr(settings, "STUDENT_FILEUPLOAD_MAX_SIZE"):
        del settings.STUDENT_FILEUPLOAD_MAX_SIZE
    assert compat.student_upload_max_size() is None
