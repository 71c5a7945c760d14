"""
The system check of the certificate gate (``competency_plugin.checks``): ``manage.py lms check``
reports the gate's step missing from the final ``OPEN_EDX_FILTERS_CONFIG``, read as openedx-filters
reads it when the filter runs; and it says so exactly when the real filter would let a certificate
through that the gate should have stopped.
"""
import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings
from opaque_keys.edx.keys import CourseKey
from openedx_filters.learning.filters import CertificateCreationRequested

from competency_plugin.checks import GATE_FAILS_SILENTLY, GATE_MISSING
from competency_plugin.settings import common
from tests.attestation import COURSE, make_framework, record, set_programme_policy
from tests.factories import UserFactory

FILTER = common.CERTIFICATE_FILTER
STEP = common.CERTIFICATE_GATE_STEP
OPERATOR_STEP = "tests.interfaces.test_filters.UpgradeMode"


def _ours():
    """The plugin's messages among all the system checks' (the project's whole set, as ``check`` runs them)."""
    return [message for message in checks.run_checks() if message.id.startswith("competency_plugin.")]


def _filters(config):
    """Settings whose final ``OPEN_EDX_FILTERS_CONFIG`` holds ``config`` for the certificate filter."""
    return override_settings(OPEN_EDX_FILTERS_CONFIG={} if config is None else {FILTER: config})


def test_the_plugins_own_settings_pass():
    assert _ours() == []
    call_command("check")


def test_replaced_config_is_an_error_naming_the_setting_and_the_way_out():
    with _filters({"pipeline": [OPERATOR_STEP], "fail_silently": False}):
        [error] = _ours()
    assert (error.id, error.level, error.obj) == (GATE_MISSING, checks.ERROR, "OPEN_EDX_FILTERS_CONFIG")
    assert STEP in error.msg and FILTER in error.msg
    assert "CERTIFICATE_GATE" in error.hint and "openedx-lms-common-settings" in error.hint


def test_manage_py_check_fails_on_it():
    with _filters({"pipeline": [OPERATOR_STEP]}), pytest.raises(SystemCheckError, match=GATE_MISSING):
        call_command("check")


def test_no_error_when_the_operator_turned_the_gate_off(settings):
    settings.COMPETENCY_PORTFOLIO = {**settings.COMPETENCY_PORTFOLIO, "CERTIFICATE_GATE": False}
    with _filters(None):
        assert _ours() == []


def test_studio_never_generates_certificates_and_is_not_checked(settings):
    settings.SERVICE_VARIANT = "cms"
    with _filters(None):
        assert _ours() == []
    settings.SERVICE_VARIANT = "lms"
    with _filters(None):
        assert [message.id for message in _ours()] == [GATE_MISSING]


def test_a_pipeline_that_fails_silently_is_a_warning():
    with _filters({"pipeline": [OPERATOR_STEP, STEP], "fail_silently": True}):
        [warning] = _ours()
    assert (warning.id, warning.level) == (GATE_FAILS_SILENTLY, checks.WARNING)
    with _filters({"pipeline": [STEP]}):  # openedx-filters' default: fail silently
        assert [message.id for message in _ours()] == [GATE_FAILS_SILENTLY]


# Every shape openedx-filters accepts (``OpenEdxPublicFilter.get_pipeline_configuration``), and
# whether the step runs in it.
SHAPES = {
    "dict with the step": ({"pipeline": [OPERATOR_STEP, STEP], "fail_silently": False}, True),
    "dict with a tuple": ({"pipeline": (STEP,), "fail_silently": False}, True),
    "list of steps": ([OPERATOR_STEP, STEP], True),
    "one step's path": (STEP, True),
    "dict without the step": ({"pipeline": [OPERATOR_STEP], "fail_silently": False}, False),
    "empty dict": ({}, False),
    "no entry for the filter": (None, False),
}


@pytest.mark.django_db
@pytest.mark.parametrize("config, runs", SHAPES.values(), ids=SHAPES.keys())
def test_the_check_agrees_with_the_filter_at_run_time(config, runs):
    """Error exactly when the real filter lets through the certificate of a learner the gate must stop."""
    ids = make_framework()
    set_programme_policy(ids)
    learner = UserFactory(username="amina")
    record(learner, ids, "3.1")  # far from eligible
    with _filters(config):
        missing = GATE_MISSING in [message.id for message in _ours()]
        try:
            CertificateCreationRequested.run_filter(
                user=learner, course_key=CourseKey.from_string(COURSE), mode="verified", status="downloadable",
                grade=0.9, generation_mode="batch",
            )
            prevented = False
        except CertificateCreationRequested.PreventCertificateCreation:
            prevented = True
    assert prevented is runs
    assert missing is not runs


def test_a_step_path_as_the_pipeline_of_a_dict_is_an_error():
    """openedx-filters iterates ``pipeline``: a string is read character by character, and the gate never runs."""
    with _filters({"pipeline": STEP, "fail_silently": False}):
        assert [message.id for message in _ours()] == [GATE_MISSING]


def test_plugin_settings_with_the_gate_off_register_no_step():
    target = type("Settings", (), {"COMPETENCY_PORTFOLIO": {"CERTIFICATE_GATE": False}})()
    common.plugin_settings(target)
    assert not hasattr(target, "OPEN_EDX_FILTERS_CONFIG")
    assert target.COMPETENCY_PORTFOLIO["CERTIFICATE_GATE"] is False
