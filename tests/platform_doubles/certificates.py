"""
A double of the LMS's certificate generation: ``lms.djangoapps.certificates.api`` and
``lms.djangoapps.certificates.generation_handler`` (openedx-platform), for one course run.

It keeps the contract ``competency_plugin.platform.compat.generate_certificate`` relies on:

- ``generate_certificate_task(user, course_key, generation_mode=None)`` (``api.py``, delegating to
  ``generation_handler.generate_certificate_task``, regular path): a certificate can be generated
  when the learner has a passing grade and no downloadable certificate yet
  (``_can_generate_regular_certificate``, ``_can_generate_certificate_for_status``); then the
  ``CertificateCreationRequested`` filter runs — the real openedx-filters one, with the settings'
  ``OPEN_EDX_FILTERS_CONFIG`` — and its ``PreventCertificateCreation`` becomes
  ``CertificateGenerationNotAllowed`` (``_generate_certificate_task``); otherwise the generation is
  queued and True returned. A learner who cannot have one gets False (``_set_regular_cert_status``
  finds no status to set).
- ``auto_certificate_generation_enabled()`` (``api.py``): the ``AUTO_CERTIFICATE_GENERATION`` switch.
- ``listen_for_passing_grade(sender, user, course_id)`` (``signals.py``): on a passing grade, when
  automatic generation is on and no passing certificate exists, ``generate_certificate_task``; a
  ``CertificateGenerationNotAllowed`` is logged and False returned — never retried.

Enrolment modes, ID verification, the allowlist and invalidations are left out: every learner
is enrolled in the "verified" mode, verified, not allowlisted.
"""
import logging

from openedx_filters.learning.filters import CertificateCreationRequested

log = logging.getLogger(__name__)

# The double's state: learners (user ids) with a passing grade; generations queued; the switch.
PASSING = set()
QUEUED = []
AUTO_CERTIFICATE_GENERATION = {"enabled": True}


def reset():
    """Forget every grade and certificate; switch automatic generation on."""
    PASSING.clear()
    QUEUED.clear()
    AUTO_CERTIFICATE_GENERATION["enabled"] = True


class CertificateGenerationNotAllowed(Exception):
    """The filter prevented the certificate (``generation_handler.CertificateGenerationNotAllowed``)."""


def auto_certificate_generation_enabled():
    """Whether the LMS generates certificates by itself (``api.auto_certificate_generation_enabled``)."""
    return AUTO_CERTIFICATE_GENERATION["enabled"]


def _downloadable(user, course_key):
    return any(entry["student"] == str(user.id) and entry["course_key"] == str(course_key) for entry in QUEUED)


def generate_certificate_task(user, course_key, generation_mode=None):
    """Queue the certificate's generation if the learner may have it and the filter lets it through."""
    if user.id not in PASSING or _downloadable(user, course_key):
        return False
    try:
        user, course_key, mode, status, grade, generation_mode = CertificateCreationRequested.run_filter(
            user=user, course_key=course_key, mode="verified", status=None, grade=0.9,
            generation_mode=generation_mode,
        )
    except CertificateCreationRequested.PreventCertificateCreation as exc:
        raise CertificateGenerationNotAllowed(str(exc)) from exc
    QUEUED.append({
        "student": str(user.id), "course_key": str(course_key), "enrollment_mode": mode, "status": status,
        "course_grade": str(grade), "generation_mode": generation_mode,
    })
    return True


def listen_for_passing_grade(sender, user, course_id, **kwargs):  # pylint: disable=unused-argument
    """The LMS's receiver of ``COURSE_GRADE_NOW_PASSED``: one attempt, no retry."""
    PASSING.add(user.id)
    if not auto_certificate_generation_enabled() or _downloadable(user, course_id):
        return None
    try:
        return generate_certificate_task(user, course_id)
    except CertificateGenerationNotAllowed:
        log.exception("Certificate generation not allowed for user %s in course %s", user, course_id)
        return False
