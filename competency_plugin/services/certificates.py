"""Whether a course's certificates wait for the attestation policy (the certificate gate)."""
from competency_plugin.models import AttestationPolicy
from competency_plugin.services.evidence import parse_course_key


def certificate_gate_applies(course_key):
    """
    Return whether certificate generation in the course waits for the learner's eligibility.

    It does when the course has an attestation policy with ``certificate_gate`` on (one query).
    """
    return AttestationPolicy.objects.filter(course_key=parse_course_key(course_key), certificate_gate=True).exists()
