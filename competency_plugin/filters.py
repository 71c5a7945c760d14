"""
Pipeline steps of the Open edX filters (openedx-filters) the plugin takes part in.

``CertificateEligibilityGate`` runs in the ``CertificateCreationRequested`` filter
(``org.openedx.learning.certificate.creation.requested.v1``), which the LMS runs before it
generates a certificate. For a course whose attestation policy has ``certificate_gate`` on, it
stops the generation while the learner's portfolio does not meet the policy; for every other
course it lets the request through unchanged. The plugin's settings add it to
``OPEN_EDX_FILTERS_CONFIG`` (``competency_plugin.settings.common``); a system check reports it
missing from the final settings (``competency_plugin.checks``). A refusal is remembered, and the
LMS asked again once the learner is eligible (``api.request_refused_certificates``).
"""
import logging

from openedx_filters import PipelineStep
from openedx_filters.learning.filters import CertificateCreationRequested

from competency_plugin import api

log = logging.getLogger(__name__)


class CertificateEligibilityGate(PipelineStep):
    """Prevent certificate generation while a learner is not eligible, in the courses that ask for it."""

    def run_filter(  # pylint: disable=arguments-differ
        self, user, course_key, mode, status, grade, generation_mode, **kwargs
    ):
        """
        Let the request through unchanged, or raise ``PreventCertificateCreation``.

        The exception's message lists what the learner is still missing (in the active
        language), for the LMS's logs and for whoever asked for the certificate.
        """
        passed = {
            "user": user, "course_key": course_key, "mode": mode, "status": status, "grade": grade,
            "generation_mode": generation_mode,
        }
        if not api.certificate_gate_applies(course_key):
            return passed
        report = api.get_eligibility(user, course_key)
        if report.eligible:
            return passed
        log.info(
            "Certificate generation prevented: user %s is not eligible in %s (policy version %s).",
            report.user_id, report.course_key, report.policy_version,
        )
        # The LMS does not retry: the plugin asks it again once the learner is eligible.
        api.record_certificate_refusal(report.user_id, course_key)
        raise CertificateCreationRequested.PreventCertificateCreation(" ".join(report.missing))
