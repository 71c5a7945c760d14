"""
The certificate gate: a step of openedx-filters' ``CertificateCreationRequested`` pipeline, run
through the filter's own ``run_filter`` with the ``OPEN_EDX_FILTERS_CONFIG`` the plugin's
settings build, and the registration of that step next to the operator's own steps.
"""
import sys
import types

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation
from edx_django_utils.plugins import add_plugins
from opaque_keys.edx.keys import CourseKey
from openedx_filters import PipelineStep
from openedx_filters.learning.filters import CertificateCreationRequested

from competency_plugin.settings import common
from tests.attestation import COURSE, OTHER_COURSE, make_eligible, make_framework, record, set_programme_policy

FILTER = common.CERTIFICATE_FILTER
STEP = common.CERTIFICATE_GATE_STEP
OTHER_STEP = "tests.interfaces.test_filters.UpgradeMode"
ARGS = {"mode": "honor", "status": "downloadable", "grade": 0.82, "generation_mode": "batch"}


class UpgradeMode(PipelineStep):
    """An operator's step that runs before the gate and changes the mode."""

    def run_filter(self, user, course_key, mode, status, grade, generation_mode):  # pylint: disable=arguments-differ
        return {"mode": "verified"}


def _run(user, course=COURSE):
    return CertificateCreationRequested.run_filter(user=user, course_key=CourseKey.from_string(course), **ARGS)


@pytest.fixture(name="learner")
def fixture_learner(db):  # pylint: disable=unused-argument
    return get_user_model().objects.create(username="amina")


@pytest.fixture(name="ids")
def fixture_ids(db):  # pylint: disable=unused-argument
    return make_framework()


# --- registration in OPEN_EDX_FILTERS_CONFIG -----------------------------------------------


def test_plugin_settings_register_the_step_once():
    """The test settings ran ``common`` twice (through ``demo.settings`` and ``test``): one step."""
    config = settings.OPEN_EDX_FILTERS_CONFIG[FILTER]
    assert config == {"fail_silently": False, "pipeline": [STEP]}


def test_step_path_names_the_gate():
    from django.utils.module_loading import import_string  # pylint: disable=import-outside-toplevel

    assert issubclass(import_string(STEP), PipelineStep)


def _settings(**values):
    return types.SimpleNamespace(**values)


def test_registration_appends_after_the_operators_steps_and_keeps_fail_silently():
    other_filter = {"org.openedx.learning.course.enrollment.started.v1": {"pipeline": ["x.Y"], "fail_silently": True}}
    configured = {FILTER: {"pipeline": [OTHER_STEP], "fail_silently": True, "log_level": "debug"}, **other_filter}
    target = _settings(OPEN_EDX_FILTERS_CONFIG=configured)
    common.register_certificate_gate(target)
    assert target.OPEN_EDX_FILTERS_CONFIG[FILTER] == {
        "pipeline": [OTHER_STEP, STEP], "fail_silently": True, "log_level": "debug",
    }
    assert target.OPEN_EDX_FILTERS_CONFIG["org.openedx.learning.course.enrollment.started.v1"] == other_filter[
        "org.openedx.learning.course.enrollment.started.v1"]
    assert configured[FILTER]["pipeline"] == [OTHER_STEP], "the operator's dict was changed in place"


def test_registration_without_fail_silently_leaves_it_unset():
    target = _settings(OPEN_EDX_FILTERS_CONFIG={FILTER: {"pipeline": [OTHER_STEP]}})
    common.register_certificate_gate(target)
    assert target.OPEN_EDX_FILTERS_CONFIG[FILTER] == {"pipeline": [OTHER_STEP, STEP]}


@pytest.mark.parametrize("configured", [[OTHER_STEP], OTHER_STEP, (OTHER_STEP,)])
def test_registration_accepts_the_short_forms_of_a_pipeline(configured):
    target = _settings(OPEN_EDX_FILTERS_CONFIG={FILTER: configured})
    common.register_certificate_gate(target)
    assert target.OPEN_EDX_FILTERS_CONFIG[FILTER] == {"pipeline": [OTHER_STEP, STEP]}


@pytest.mark.parametrize("configured", [None, {}, {FILTER: {}}, {FILTER: []}])
def test_registration_creates_a_pipeline_that_does_not_fail_silently(configured):
    target = _settings() if configured is None else _settings(OPEN_EDX_FILTERS_CONFIG=configured)
    common.register_certificate_gate(target)
    assert target.OPEN_EDX_FILTERS_CONFIG == {FILTER: {"fail_silently": False, "pipeline": [STEP]}}


LMS_SETTINGS = "fake_lms_production"


@pytest.fixture(name="lms_settings")
def fixture_lms_settings():
    """A throw-away settings module, as ``lms.envs.production`` is when the plugins' settings run."""
    module = types.ModuleType(LMS_SETTINGS)
    module.OPEN_EDX_FILTERS_CONFIG = {FILTER: {"pipeline": [OTHER_STEP], "fail_silently": False}}
    sys.modules[LMS_SETTINGS] = module
    yield module
    del sys.modules[LMS_SETTINGS]


def test_common_then_production_as_the_lms_runs_them(lms_settings):
    add_plugins(LMS_SETTINGS, "lms.djangoapp", "common")
    add_plugins(LMS_SETTINGS, "lms.djangoapp", "production")
    assert lms_settings.OPEN_EDX_FILTERS_CONFIG[FILTER] == {"pipeline": [OTHER_STEP, STEP], "fail_silently": False}


def test_production_registers_again_after_the_environment_replaced_the_config(lms_settings):
    add_plugins(LMS_SETTINGS, "lms.djangoapp", "common")
    lms_settings.OPEN_EDX_FILTERS_CONFIG = {FILTER: {"pipeline": [OTHER_STEP]}}  # what lms.yml says
    add_plugins(LMS_SETTINGS, "lms.djangoapp", "production")
    assert lms_settings.OPEN_EDX_FILTERS_CONFIG[FILTER] == {"pipeline": [OTHER_STEP, STEP]}


# --- the step in the filter's pipeline ----------------------------------------------------


def test_course_without_policy_passes_through(learner):
    user, course_key, mode, status, grade, generation_mode = _run(learner, OTHER_COURSE)
    assert (user, course_key) == (learner, CourseKey.from_string(OTHER_COURSE))
    assert (mode, status, grade, generation_mode) == tuple(ARGS.values())


def test_policy_without_gate_passes_through_a_learner_who_is_not_eligible(learner, ids):
    set_programme_policy(ids, certificate_gate=False)
    assert _run(learner)[0] == learner


def test_gate_prevents_the_certificate_of_a_learner_who_is_not_eligible(learner, ids):
    set_programme_policy(ids)
    record(learner, ids, "3.1")
    with translation.override("en"):
        with pytest.raises(CertificateCreationRequested.PreventCertificateCreation) as raised:
            _run(learner)
    assert str(raised.value) == (
        "3 Pedagogy: 1 more validated situation needed. "
        "6 Professional learning: 2 more validated situations needed. "
        "6 Professional learning: 1 more validated authentic situation needed."
    )


def test_gate_lets_an_eligible_learner_through_unchanged(learner, ids):
    set_programme_policy(ids)
    make_eligible(learner, ids)
    user, course_key, mode, status, grade, generation_mode = _run(learner)
    assert (user, str(course_key)) == (learner, COURSE)
    assert (mode, status, grade, generation_mode) == tuple(ARGS.values())


def test_gate_is_per_learner(learner, ids):
    set_programme_policy(ids)
    make_eligible(learner, ids)
    other = get_user_model().objects.create(username="bruno")
    assert _run(learner)[0] == learner
    with pytest.raises(CertificateCreationRequested.PreventCertificateCreation):
        _run(other)


def test_competences_not_yet_demonstrated_do_not_open_the_gate(learner, ids):
    set_programme_policy(ids)
    for competence in ("3.1", "3.2", "6.1"):
        record(learner, ids, competence)
    record(learner, ids, "6.2", decision="not_yet")
    record(learner, ids, "6.2", decision="revision")
    with pytest.raises(CertificateCreationRequested.PreventCertificateCreation):
        _run(learner)


def test_gate_runs_after_the_operators_steps_and_keeps_their_changes(learner, ids, settings):
    settings.OPEN_EDX_FILTERS_CONFIG = {FILTER: {"pipeline": [OTHER_STEP, STEP], "fail_silently": False}}
    set_programme_policy(ids)
    with pytest.raises(CertificateCreationRequested.PreventCertificateCreation):
        _run(learner)
    make_eligible(learner, ids)
    assert _run(learner)[2] == "verified"


def test_without_the_step_configured_nothing_is_prevented(learner, ids, settings):
    settings.OPEN_EDX_FILTERS_CONFIG = {}
    set_programme_policy(ids)
    assert _run(learner)[0] == learner
