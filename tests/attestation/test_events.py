"""
The Open edX event the plugin sends (declared as openedx-events declares its own, with primitive
data the event bus can serialise) and the platform events it receives through its plugin config.
"""
import datetime

import attr
import pytest
from django.utils import timezone
from edx_django_utils.plugins import connect_plugin_receivers
from edx_django_utils.plugins.constants import PluginSignals
from edx_django_utils.plugins.utils import import_attr
from opaque_keys.edx.keys import CourseKey
from openedx_events.event_bus.avro.deserializer import deserialize_bytes_to_event_data
from openedx_events.event_bus.avro.serializer import serialize_event_data_to_bytes
from openedx_events.learning.data import CourseData, CoursePassingStatusData, UserData, UserPersonalData
from openedx_events.learning.signals import COURSE_PASSING_STATUS_UPDATED
from openedx_events.tooling import OpenEdxPublicSignal

from competency_plugin.apps import CompetencyPluginConfig
from competency_plugin.models import EligibilityRecord
from competency_plugin.signals import handlers
from competency_plugin.signals.signals import ATTESTATION_ELIGIBILITY_CHANGED, AttestationEligibilityData
from competency_plugin.tasks import recompute_eligibility
from tests.attestation.support import COURSE, Framework, make_user, simple_policy, situation

EVENT_TYPE = "org.openedx.learning.competency.attestation.eligibility.changed.v1"
PROJECTS = ("lms.djangoapp", "cms.djangoapp")


def sample():
    """Event data as the task builds it."""
    return AttestationEligibilityData(
        user_id=7, username="amina", course_key=COURSE, eligible=True, policy_version=3,
        changed_at=datetime.datetime(2026, 11, 22, 8, 30, tzinfo=datetime.timezone.utc),
    )


def test_the_event_is_registered_under_its_type():
    assert OpenEdxPublicSignal.get_signal_by_type(EVENT_TYPE) is ATTESTATION_ELIGIBILITY_CHANGED
    assert ATTESTATION_ELIGIBILITY_CHANGED.init_data == {"eligibility": AttestationEligibilityData}


def test_the_event_data_holds_primitives_only():
    types = {field.name: field.type for field in attr.fields(AttestationEligibilityData)}
    assert types == {
        "user_id": int, "username": str, "course_key": str, "eligible": bool, "policy_version": int,
        "changed_at": datetime.datetime,
    }
    with pytest.raises(attr.exceptions.FrozenInstanceError):
        sample().eligible = False  # pylint: disable=assigning-non-slot


def test_the_event_round_trips_through_the_event_bus_serialiser():
    data = {"eligibility": sample()}
    raw = serialize_event_data_to_bytes(data, ATTESTATION_ELIGIBILITY_CHANGED)
    assert deserialize_bytes_to_event_data(raw, ATTESTATION_ELIGIBILITY_CHANGED) == data


def test_send_event_validates_and_delivers_the_data():
    received = []

    def receiver(signal, sender, eligibility, metadata, **kwargs):  # pylint: disable=unused-argument
        received.append((eligibility, metadata))

    ATTESTATION_ELIGIBILITY_CHANGED.connect(receiver)
    try:
        ATTESTATION_ELIGIBILITY_CHANGED.send_event(eligibility=sample(), time=sample().changed_at)
    finally:
        ATTESTATION_ELIGIBILITY_CHANGED.disconnect(receiver)
    assert len(received) == 1
    eligibility, metadata = received[0]
    assert eligibility == sample()
    assert metadata.event_type == EVENT_TYPE and metadata.time == sample().changed_at


@pytest.mark.django_db
def test_the_task_sends_primitive_data(django_capture_on_commit_callbacks):
    received = []

    def receiver(signal, sender, eligibility, **kwargs):  # pylint: disable=unused-argument
        received.append(eligibility)

    framework = Framework()
    simple_policy(framework)
    amina = make_user("amina")
    situation(amina, framework, "3.1")
    ATTESTATION_ELIGIBILITY_CHANGED.connect(receiver)
    try:
        before = timezone.now()
        recompute_eligibility.delay(COURSE, [amina.id])
    finally:
        ATTESTATION_ELIGIBILITY_CHANGED.disconnect(receiver)
    assert len(received) == 1
    data = received[0]
    values = attr.asdict(data)
    assert [type(values[name]) for name in ("user_id", "username", "course_key", "eligible", "policy_version")] == [
        int, str, str, bool, int,
    ]
    assert values["course_key"] == COURSE and values["eligible"] is True and data.changed_at >= before


@pytest.mark.parametrize("project", PROJECTS)
def test_receivers_config_names_importable_signals_and_handlers(project):
    config = CompetencyPluginConfig.plugin_app[PluginSignals.CONFIG][project]
    assert config[PluginSignals.RELATIVE_PATH] == "signals.handlers"
    (receiver,) = [
        item for item in config[PluginSignals.RECEIVERS]
        if item[PluginSignals.RECEIVER_FUNC_NAME] == "refresh_eligibility_on_passing_status"
    ]
    assert import_attr(receiver[PluginSignals.SIGNAL_PATH]) is COURSE_PASSING_STATUS_UPDATED
    assert callable(getattr(handlers, receiver[PluginSignals.RECEIVER_FUNC_NAME]))


@pytest.fixture(name="connected")
def _connected():
    """The plugin's receivers connected as the LMS connects them; disconnected afterwards."""
    connect_plugin_receivers("lms.djangoapp")
    yield
    COURSE_PASSING_STATUS_UPDATED.disconnect(dispatch_uid="competency_plugin.refresh_eligibility_on_passing_status")


def passing_status(user):
    """The LMS's event data when ``user``'s passing status in the course is recomputed."""
    return CoursePassingStatusData(
        is_passing=True,
        course=CourseData(course_key=CourseKey.from_string(COURSE)),
        user=UserData(id=user.id, is_active=True, pii=UserPersonalData(username=user.username, email=user.email)),
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("connected")
def test_passing_status_update_refreshes_the_learner(django_capture_on_commit_callbacks):
    framework = Framework()
    simple_policy(framework)
    amina, bruno = make_user("amina"), make_user("bruno")
    situation(amina, framework, "3.1")
    situation(bruno, framework, "3.2")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        COURSE_PASSING_STATUS_UPDATED.send_event(course_passing_status=passing_status(amina))
    assert len(callbacks) == 1
    assert list(EligibilityRecord.objects.values_list("user__username", "eligible")) == [("amina", True)]
