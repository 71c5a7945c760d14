"""
Checks run inside the LMS-shaped project (``tests.lms_shaped.settings``).

``test_lms_shaped`` runs them in a subprocess: the plugin as the LMS loads it — apps, settings, URLs, signal receivers,
migrations — then its REST endpoints, the certificate filter step through openedx-filters' own
machinery, the Open edX event, and the course tab.

``COMPETENCY_EXPECT_PACKAGE`` names the directory the plugin must be imported from (the
editable source tree, or the wheel's site-packages), so that a check never passes on the wrong copy.
"""
import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import checks
from django.core.management import call_command
from django.urls import reverse
from edx_django_utils.plugins import PluginManager
from opaque_keys.edx.keys import CourseKey
from openedx_events.learning.data import CourseData, CoursePassingStatusData, UserData, UserPersonalData
from openedx_events.learning.signals import COURSE_PASSING_STATUS_UPDATED
from openedx_events.tooling import OpenEdxPublicSignal
from openedx_filters.learning.filters import CertificateCreationRequested

import competency_plugin
from competency_plugin import api
from tests.attestation import COURSE, OTHER_COURSE, make_eligible, make_framework, record, set_programme_policy
from tests.lms_shaped import steps

CERTIFICATE_FILTER = "org.openedx.learning.certificate.creation.requested.v1"
GATE_STEP = "competency_plugin.filters.CertificateEligibilityGate"
EVENT_TYPE = "org.openedx.learning.competency.attestation.eligibility.changed.v1"
HARNESS = Path(__file__).resolve().parent


@pytest.fixture(name="ids")
def fixture_ids(db):  # pylint: disable=unused-argument
    return make_framework()


@pytest.fixture(name="learner")
def fixture_learner(db):  # pylint: disable=unused-argument
    return get_user_model().objects.create_user("amina", "amina@example.com", "pw")


@pytest.fixture(name="staff")
def fixture_staff(db):  # pylint: disable=unused-argument
    return get_user_model().objects.create_user("staff_ana", "ana@example.com", "pw", is_staff=True)


def _certificate(user, course=COURSE):
    return CertificateCreationRequested.run_filter(
        user=user, course_key=CourseKey.from_string(course), mode="verified", status="downloadable", grade=0.9,
        generation_mode="batch",
    )


# --- loading ----------------------------------------------------------------------------------


def test_the_plugin_comes_from_the_expected_installation():
    expected = os.environ.get("COMPETENCY_EXPECT_PACKAGE")
    assert expected, "test_lms_shaped sets COMPETENCY_EXPECT_PACKAGE"
    assert Path(competency_plugin.__file__).resolve().parent == Path(expected).resolve()


def test_the_project_names_the_plugin_nowhere():
    for module in ("settings.py", "settings_replaced_filters.py", "urls.py", "apps.py"):
        assert "competency_plugin" not in (HARNESS / module).read_text(), module


def test_the_app_and_its_settings_came_through_the_plugin_mechanism():
    assert "competency_plugin.apps.CompetencyPluginConfig" in settings.INSTALLED_APPS
    assert apps.get_app_config("competency_plugin").name == "competency_plugin"
    assert settings.COMPETENCY_PORTFOLIO["MAX_FILES_PER_EVIDENCE"] >= 1


def test_the_certificate_gate_follows_the_operators_step_once():
    assert settings.OPEN_EDX_FILTERS_CONFIG[CERTIFICATE_FILTER] == {
        "pipeline": [settings.OPERATOR_CERTIFICATE_STEP, GATE_STEP], "fail_silently": True,
    }


def test_manage_py_check_passes_with_the_plugins_settings():
    """``manage.py lms check``: the step is in place; the operator's ``fail_silently`` earns a warning only."""
    ours = [message.id for message in checks.run_checks() if message.id.startswith("competency_plugin.")]
    assert ours == ["competency_plugin.W001"]
    call_command("check")


def test_manage_py_check_fails_when_a_later_settings_patch_replaces_the_filters():
    """A settings patch run after the plugins' settings (``settings_replaced_filters``) drops the gate: E001."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.lms_shaped.settings_replaced_filters"}
    result = subprocess.run(
        [sys.executable, "-m", "django", "check"], cwd=HARNESS.parents[1], env=env, capture_output=True, text=True,
        check=False, timeout=300,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "competency_plugin.E001" in result.stderr and GATE_STEP in result.stderr
    assert "CERTIFICATE_GATE" in result.stderr  # the hint names the setting


def test_platform_events_reach_the_receivers_the_plugin_declared(learner, ids, django_capture_on_commit_callbacks):
    """``connect_plugin_receivers`` (the harness's ``ready``) connected the passing-status receiver."""
    set_programme_policy(ids)
    make_eligible(learner, ids)  # the refreshes these decisions queue are never run: on_commit is not executed
    changed = []
    signal = OpenEdxPublicSignal.get_signal_by_type(EVENT_TYPE)

    def receiver(eligibility, **kwargs):  # pylint: disable=unused-argument
        changed.append(eligibility.username)

    signal.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            COURSE_PASSING_STATUS_UPDATED.send_event(course_passing_status=CoursePassingStatusData(
                is_passing=True, course=CourseData(course_key=CourseKey.from_string(COURSE)),
                user=UserData(id=learner.id, is_active=True,
                              pii=UserPersonalData(username="amina", email="amina@example.com")),
            ))
    finally:
        signal.disconnect(receiver)
    assert len(callbacks) == 1 and changed == ["amina"]


@pytest.mark.django_db
def test_the_plugins_migrations_ran():
    from django.db import connection  # pylint: disable=import-outside-toplevel
    from django.db.migrations.recorder import MigrationRecorder  # pylint: disable=import-outside-toplevel

    applied = {name for app, name in MigrationRecorder(connection).applied_migrations() if app == "competency_plugin"}
    assert "0001_initial" in applied and len(applied) >= 4, applied


# --- REST --------------------------------------------------------------------------------------


def test_frameworks_endpoint(client, learner, ids):
    url = reverse("competency_plugin:v1:framework-list")
    assert url == "/api/competency/v1/frameworks/"
    assert client.get(url).status_code == 401
    client.force_login(learner)
    body = client.get(url).json()
    assert body["count"] == 1 and body["results"][0]["identifier"] == ids["framework"]


def test_case_provider_is_public_where_the_lms_mounts_plugins(client, ids):
    """The CASE 1.1 provider, mounted by the plugin's URL config: anonymous reads, a valid package."""
    assert reverse("competency_plugin:case-cfdocuments") == "/ims/case/v1p1/CFDocuments"
    documents = client.get("/ims/case/v1p1/CFDocuments").json()["CFDocuments"]
    assert [document["identifier"] for document in documents] == [ids["framework"]]
    package = client.get(f"/ims/case/v1p1/CFPackages/{ids['framework']}").json()
    assert api.case_package_errors(package) == []  # the bundled schema shipped with the package
    item = package["CFItems"][0]["identifier"]
    assert client.get(api.case_item_url("http://testserver", item)).json()["identifier"] == item


def test_learner_eligibility_endpoint(client, learner, staff, ids):
    set_programme_policy(ids)
    record(learner, ids, "3.1")
    url = f"/api/competency/v1/courses/{COURSE}/eligibility/amina/"
    assert client.get(url).status_code == 401
    client.force_login(learner)
    body = client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["eligible"] is False and body["policy_version"] == 1
    assert body["missing"][0] == "3 Pedagogy: 1 more validated situation needed."
    assert client.get(f"/api/competency/v1/courses/{COURSE}/eligibility/staff_ana/").status_code == 403
    make_eligible(learner, ids)
    client.force_login(staff)
    assert client.get(url).json()["eligible"] is True


def test_course_eligibility_endpoint_and_csv(client, learner, staff, ids):
    set_programme_policy(ids)
    make_eligible(learner, ids)
    other = get_user_model().objects.create_user("bruno", "bruno@example.com", "pw")
    record(other, ids, "6.1")
    url = f"/api/competency/v1/courses/{COURSE}/eligibility/"
    client.force_login(learner)
    assert client.get(url).status_code == 403
    client.force_login(staff)
    body = client.get(url).json()
    assert {row["username"]: row["eligible"] for row in body["results"]} == {"amina": True, "bruno": False}
    response = client.get(url, {"format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 3 and "amina" in rows[1] + rows[2]


# --- the certificate filter ------------------------------------------------------------------


def test_certificate_filter_blocks_then_allows(learner, ids):
    steps.CALLS.clear()
    set_programme_policy(ids)
    record(learner, ids, "3.1")
    with pytest.raises(CertificateCreationRequested.PreventCertificateCreation) as raised:
        _certificate(learner)
    assert "more validated" in str(raised.value)
    make_eligible(learner, ids)
    user, course_key, mode, status, grade, generation_mode = _certificate(learner)
    assert (user, str(course_key), mode, status, grade, generation_mode) == (
        learner, COURSE, "verified", "downloadable", 0.9, "batch",
    )
    assert steps.CALLS == [("amina", COURSE), ("amina", COURSE)], "the operator's step ran before the gate"


def test_certificate_filter_passes_through_courses_without_the_gate(learner, ids):
    set_programme_policy(ids, certificate_gate=False)
    assert _certificate(learner)[0] == learner
    assert _certificate(learner, OTHER_COURSE)[0] == learner


# --- the Open edX event ----------------------------------------------------------------------


def test_eligibility_changed_event_after_the_deciding_review(learner, ids, django_capture_on_commit_callbacks):
    signal = OpenEdxPublicSignal.get_signal_by_type(EVENT_TYPE)
    received = []

    def receiver(signal, sender, eligibility, metadata, **kwargs):  # pylint: disable=unused-argument
        received.append((eligibility, metadata))

    signal.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            set_programme_policy(ids)
        with django_capture_on_commit_callbacks(execute=True):
            for competence in ("3.1", "3.2", "6.1"):
                record(learner, ids, competence)
        assert not received, "not eligible yet: no event"
        with django_capture_on_commit_callbacks(execute=True):
            record(learner, ids, "6.2")
    finally:
        signal.disconnect(receiver)
    assert len(received) == 1, received
    eligibility, metadata = received[0]
    assert (eligibility.user_id, eligibility.username, eligibility.course_key) == (learner.id, "amina", COURSE)
    assert eligibility.eligible is True and eligibility.policy_version == 1
    assert metadata.event_type == EVENT_TYPE
    assert api.get_eligibility(learner, COURSE).eligible


# --- the course tab ----------------------------------------------------------------------------


def test_course_tab_found_as_the_lms_finds_it_and_its_page(client, learner, ids):
    tab_type = PluginManager.get_plugin("competency_portfolio", "openedx.course_tab")
    course = type("Course", (), {"id": CourseKey.from_string(COURSE)})()
    assert tab_type.is_enabled(course, user=learner)
    url = tab_type({}).link_func(course, reverse)
    assert url == f"/competency/courses/{COURSE}/portfolio/"
    set_programme_policy(ids)
    record(learner, ids, "3.1", title="Séance de géométrie")
    assert client.get(url).status_code == 302
    client.force_login(learner)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Mon portfolio" in page and "Séance de géométrie" in page and 'role="img"' in page
