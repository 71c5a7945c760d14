"""
Signals the plugin sends.

``ATTESTATION_ELIGIBILITY_CHANGED`` is an Open edX event (an ``OpenEdxPublicSignal``): other
plugins and the event bus receive it like the platform's own events. Its data holds primitive
values only (numbers, text, a boolean, a date-time), so that the event bus can serialise it and
receivers need nothing from the plugin to read it.

This module declares signals and imports nothing from the plugin: services and tasks may send
them without depending on the receivers of ``signals.handlers``.
"""
from datetime import datetime

import attr
from django.dispatch import Signal
from openedx_events.tooling import OpenEdxPublicSignal

# A reviewer's decision on an evidence item has been committed (sent from ``transaction.on_commit``
# by ``review.services.decide`` with ``send_robust``). Arguments, all plain values:
# ``decision_uuid`` (str), ``evidence_uuid`` (str), ``course_key`` (str), ``user_id`` (int, the
# learner), ``outcome`` ("accepted" or "revision_requested"). Sent for other plugins: the plugin's
# own follow-up work (the learner's e-mail, the eligibility refresh) is scheduled through
# ``platform.after_commit``, not through this signal.
evidence_reviewed = Signal()


@attr.s(frozen=True)
class AttestationEligibilityData:
    """
    A learner's attestation eligibility in a course, as it has just become.

    Attributes:
        user_id (int): the learner's user id.
        username (str): the learner's username.
        course_key (str): the course's key, e.g. ``course-v1:Org+Course+Run``.
        eligible (bool): whether the learner now meets the course's attestation policy.
        policy_version (int): the version of the policy the status was computed with (0: no policy).
        changed_at (datetime): when the plugin recorded the change (UTC).
    """

    user_id = attr.ib(type=int)
    username = attr.ib(type=str)
    course_key = attr.ib(type=str)
    eligible = attr.ib(type=bool)
    policy_version = attr.ib(type=int)
    changed_at = attr.ib(type=datetime)


# .. event_type: org.openedx.learning.competency.attestation.eligibility.changed.v1
# .. event_name: ATTESTATION_ELIGIBILITY_CHANGED
# .. event_key_field: eligibility.course_key
# .. event_description: Sent after a learner's portfolio starts or stops meeting the course's
#      attestation policy (a review decision, a policy change), once the new status is stored.
# .. event_data: AttestationEligibilityData
# .. event_trigger_repository: openedx-competency-portfolio (competency_plugin.tasks.recompute_eligibility)
ATTESTATION_ELIGIBILITY_CHANGED = OpenEdxPublicSignal(
    event_type="org.openedx.learning.competency.attestation.eligibility.changed.v1",
    data={"eligibility": AttestationEligibilityData},
)
