"""
A certificate the gate refused is asked for again once the learner may have it.

The LMS generates a certificate when a learner passes and, when the certificate filter prevents
it, logs and never retries (``lms/djangoapps/certificates/signals.py``). The plugin remembers the
gate's refusal and, at the eligibility refresh that finds the learner eligible, asks the LMS again
through ``compat.generate_certificate``. The LMS is its double ``tests.platform_doubles.certificates``
(generation handler, API and passing-grade receiver), running the real openedx-filters filter.
"""
import datetime
import logging
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from opaque_keys.edx.keys import CourseKey

from competency_plugin import api
from competency_plugin.models import EligibilityRecord
from competency_plugin.platform import compat
from tests.attestation import COURSE, make_eligible, make_framework, record, set_programme_policy
from tests.platform_doubles import certificates as lms
from tests.platform_doubles import installed

pytestmark = pytest.mark.django_db
COURSE_KEY = CourseKey.from_string(COURSE)


@pytest.fixture(name="the_lms", autouse=True)
def fixture_the_lms():
    """The LMS's certificates app, as its double, where ``compat`` imports it."""
    lms.reset()
    with installed(**{"lms.djangoapps.certificates.api": lms, "lms.djangoapps.certificates.generation_handler": lms}):
        yield lms


@pytest.fixture(name="ids")
def fixture_ids():
    ids = make_framework()
    set_programme_policy(ids)
    return ids


@pytest.fixture(name="amina")
def fixture_amina():
    return get_user_model().objects.create_user("amina")


def _refused_at(user):
    return EligibilityRecord.objects.filter(user=user, course_key=COURSE).values_list(
        "certificate_refused_at", flat=True).first()


def _certificates():
    return [(entry["student"], entry["course_key"]) for entry in lms.QUEUED]


def test_refused_then_eligible_learner_gets_the_certificate(ids, amina, django_capture_on_commit_callbacks):
    assert lms.listen_for_passing_grade(None, amina, COURSE_KEY) is False, "the gate stops it"
    assert _certificates() == [] and _refused_at(amina) is not None
    with django_capture_on_commit_callbacks(execute=True):
        make_eligible(amina, ids)  # each decision queues the refresh, run once it commits
    assert _certificates() == [(str(amina.id), COURSE)]
    assert _refused_at(amina) is None
    with django_capture_on_commit_callbacks(execute=True):
        record(amina, ids, "3.1")  # a later refresh asks nothing more
    assert len(lms.QUEUED) == 1


def test_a_learner_never_refused_is_not_asked_for(ids, amina, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_eligible(amina, ids)
    assert api.get_eligibility(amina, COURSE).eligible
    assert _certificates() == [], "the LMS generates on its own when the learner passes"
    assert lms.listen_for_passing_grade(None, amina, COURSE_KEY) is True


def test_a_refused_learner_still_not_eligible_waits(ids, amina, django_capture_on_commit_callbacks):
    lms.listen_for_passing_grade(None, amina, COURSE_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        record(amina, ids, "3.1")
        record(amina, ids, "3.2")
    assert _certificates() == [] and _refused_at(amina) is not None


def test_refused_learners_are_asked_for_when_the_course_stops_gating(ids, amina, django_capture_on_commit_callbacks):
    lms.listen_for_passing_grade(None, amina, COURSE_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        set_programme_policy(ids, certificate_gate=False)  # a policy change refreshes the whole course
    assert not api.get_eligibility(amina, COURSE).eligible
    assert _certificates() == [(str(amina.id), COURSE)]


@pytest.mark.usefixtures("ids")
def test_a_refusal_again_while_asking_is_kept(amina):
    """Stored as eligible but not eligible now (a refresh still to come): the gate refuses again, and it shows."""
    lms.listen_for_passing_grade(None, amina, COURSE_KEY)
    first = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)
    EligibilityRecord.objects.filter(user=amina).update(eligible=True, certificate_refused_at=first)
    assert api.request_refused_certificates(COURSE) == 1
    assert _certificates() == []
    assert _refused_at(amina) > first, "the new refusal is kept"


def test_automatic_generation_off_asks_nothing(ids, amina, django_capture_on_commit_callbacks, caplog):
    lms.listen_for_passing_grade(None, amina, COURSE_KEY)
    lms.AUTO_CERTIFICATE_GENERATION["enabled"] = False
    with caplog.at_level(logging.INFO, logger="competency_plugin.platform.compat"):
        with django_capture_on_commit_callbacks(execute=True):
            make_eligible(amina, ids)
    assert _certificates() == []
    assert "Automatic certificate generation is off" in caplog.text


@pytest.mark.usefixtures("ids")
def test_the_refresh_asks_once_per_refused_learner_in_two_queries_and_one_per_learner(amina, django_assert_num_queries):
    """The plugin's own queries: the gate's switch, the refused records, then one clearing per learner asked."""
    others = [get_user_model().objects.create_user(f"learner-{number}") for number in range(3)]
    for user in [amina, *others]:
        lms.listen_for_passing_grade(None, user, COURSE_KEY)
    EligibilityRecord.objects.filter(user__in=others).update(eligible=True)
    with mock.patch.object(compat, "generate_certificate", return_value=True) as generate:
        with django_assert_num_queries(2 + 3):
            assert api.request_refused_certificates(COURSE) == 3
    assert sorted(call.args[0].username for call in generate.call_args_list) == [user.username for user in others]
    assert api.request_refused_certificates(COURSE) == 0


def test_outside_the_platform_nothing_is_generated(amina, caplog):
    absent = ("lms", "lms.djangoapps", "lms.djangoapps.certificates", "lms.djangoapps.certificates.api",
              "lms.djangoapps.certificates.generation_handler")
    with installed(**dict.fromkeys(absent)):  # None in sys.modules: the imports fail, as outside the platform
        with caplog.at_level(logging.INFO, logger="competency_plugin.platform.compat"):
            assert compat.generate_certificate(amina, COURSE_KEY) is False
    assert "No LMS here" in caplog.text
