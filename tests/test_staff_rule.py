"""
One rule for course staff, applied by the block, the REST API and the pages (ADR 0010).

Each LMS role meets each door: the block's review handlers and its page, the REST review queue
and the course-wide review page. The LMS's roles are its ``common.djangoapps.student.roles``,
stood in for by ``tests.platform_doubles.roles`` (backed by a table, as the platform's are), and
the workbench's user service reports ``user_is_staff`` by the same rule, as the LMS's
``has_access`` does. Whoever the rule grants is served everywhere; everyone else is refused
everywhere, and nothing is written.
"""
import pytest
from django.contrib.auth import get_user_model
from opaque_keys.edx.keys import CourseKey

from competency_plugin.models import ReviewDecision
from portfolio_xblock.runtime_context import WORKBENCH_COURSE
from tests.platform_doubles import installed, roles
from tests.portfolio_xblock.test_review_handlers import FIELDS, Review, make_framework, staff_section

OTHER_COURSE = CourseKey.from_string("course-v1:workbench+other+2026")

# Who -> how they get in (None: nobody grants them anything), and whether the rule makes them staff.
PEOPLE = {
    "global_staff": (None, True),
    "course_staff": (lambda: roles.CourseStaffRole(WORKBENCH_COURSE), True),
    "course_limited_staff": (lambda: roles.CourseLimitedStaffRole(WORKBENCH_COURSE), True),
    "course_instructor": (lambda: roles.CourseInstructorRole(WORKBENCH_COURSE), True),
    "org_staff": (lambda: roles.OrgStaffRole(WORKBENCH_COURSE.org), True),
    "org_instructor": (lambda: roles.OrgInstructorRole(WORKBENCH_COURSE.org), True),
    "learner": (None, False),
    "beta_tester": (lambda: roles.CourseBetaTesterRole(WORKBENCH_COURSE), False),
    "staff_of_another_course": (lambda: roles.CourseStaffRole(OTHER_COURSE), False),
    "staff_of_another_org": (lambda: roles.OrgStaffRole("elsewhere"), False),
}
COURSE = str(WORKBENCH_COURSE)

pytestmark = pytest.mark.django_db


@pytest.fixture(name="review")
def fixture_review(make_scenario):
    """A block of the workbench course with one situation submitted by amina; the LMS's roles installed."""
    framework, nodes = make_framework()
    scenario = make_scenario(f'<portfolio display_name="Portfolio" framework="{framework}" min_evidence="1"/>')
    with installed(**{"common.djangoapps.student.roles": roles}):
        review = Review(scenario, nodes)
        review.evidence = review.submit()
        yield review


def _person(name):
    grant, _staff = PEOPLE[name]
    user = get_user_model().objects.create_user(f"as_{name}", is_staff=name == "global_staff")
    if grant is not None:
        grant().add_users(user)
    return user


@pytest.mark.parametrize("name", PEOPLE)
def test_the_block_serves_exactly_whom_the_rule_makes_staff(review, name):
    user = _person(name)
    staff = PEOPLE[name][1]
    who = user.username
    page = review.scenario.render(who, language="en").content.decode()
    assert bool(staff_section(page)) is staff
    assert ("function PortfolioReview" in page) is staff
    status, body = review.scenario.post_json("review_queue", {}, student=who)
    assert status == (200 if staff else 403), body
    status, body = review.scenario.post_json("review_item", {"uuid": review.evidence}, student=who)
    assert status == (200 if staff else 403), body
    if staff:
        version = int(body["html"].split('data-version="', 1)[1].split('"', 1)[0])
    else:
        version = 1
    status, body = review.scenario.post_json(
        "review_decide", review.decision(review.evidence, version, None), student=who,
    )
    assert status == (200 if staff else 403), body
    assert ReviewDecision.objects.filter(reviewer=user).count() == (1 if staff else 0)


@pytest.mark.parametrize("name", PEOPLE)
def test_rest_and_pages_serve_exactly_whom_the_rule_makes_staff(review, client, name):
    assert review.evidence, "amina's situation is waiting"
    user = _person(name)
    staff = PEOPLE[name][1]
    client.force_login(user)
    queue = client.get(f"/api/competency/v1/courses/{COURSE}/evidence/")
    assert queue.status_code == (200 if staff else 403)
    if staff:
        assert queue.json()["count"] == 1
    page = client.get(f"/competency/courses/{COURSE}/review/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == (200 if staff else 403)
    assert (FIELDS["title"] in page.content.decode()) is staff
    eligibility = client.get(f"/api/competency/v1/courses/{COURSE}/eligibility/amina/")
    assert eligibility.status_code == (200 if staff else 403)


def test_staff_of_the_course_who_view_it_as_a_learner_get_the_learners_view(review):
    """The LMS withholds ``user_is_staff`` while staff view the course as a learner: no review then."""
    user = _person("course_instructor")
    assert "review" in review.scenario.block(user.username).student_view().json_init_args
    block = review.scenario.block(user.username)
    service = block.runtime.service(block, "user")
    attrs = service.get_current_user().opt_attrs
    assert attrs["edx-platform.user_is_staff"] is True
    attrs["edx-platform.user_is_staff"] = False  # as block_render sets it under "View as: Learner"
    assert "review" not in block.student_view().json_init_args
