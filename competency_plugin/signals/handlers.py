"""Receivers of platform and plugin signals; each is a one-line call into ``competency_plugin.api``."""
from competency_plugin import api


def refresh_eligibility_on_passing_status(course_passing_status, **kwargs):  # pylint: disable=unused-argument
    """When the LMS recomputes whether a learner passes a course, refresh their attestation eligibility."""
    api.schedule_eligibility_refresh(course_passing_status.course.course_key, [course_passing_status.user.id])


def retire_user_data(sender, user=None, **kwargs):  # pylint: disable=unused-argument
    """When the LMS retires an account (``USER_RETIRE_LMS_CRITICAL``), erase its portfolio data; never raises."""
    api.retire_learner(getattr(user, "id", None))


def open_submitted_to_peers(sender, instance, **kwargs):  # pylint: disable=unused-argument
    """When an evidence item is saved submitted, open it to peer feedback (Django's ``post_save``)."""
    api.note_evidence_saved(
        evidence_id=instance.pk, status=instance.status, version=instance.version,
        usage_key=instance.usage_key, user_id=instance.user_id,
    )
