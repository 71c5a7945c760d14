"""Settings common to every environment (``plugin_settings`` is called by edx-django-utils)."""
from competency_plugin.platform.conf import DEFAULTS

# The openedx-filters filter the LMS runs before it generates a certificate, and the plugin's step in it.
CERTIFICATE_FILTER = "org.openedx.learning.certificate.creation.requested.v1"
CERTIFICATE_GATE_STEP = "competency_plugin.filters.CertificateEligibilityGate"


def plugin_settings(settings):
    """
    Fill in the operator's ``COMPETENCY_PORTFOLIO`` dict with the documented defaults.

    Then register the certificate gate step in ``OPEN_EDX_FILTERS_CONFIG``, unless the operator set
    ``COMPETENCY_PORTFOLIO["CERTIFICATE_GATE"]`` to False. A settings file that assigns
    ``OPEN_EDX_FILTERS_CONFIG`` after this (a Tutor ``openedx-lms-common-settings`` patch, appended
    after the plugins' settings ran) drops the step: the system check ``competency_plugin.E001``
    (``competency_plugin.checks``) reports it.
    """
    configured = getattr(settings, "COMPETENCY_PORTFOLIO", None) or {}
    settings.COMPETENCY_PORTFOLIO = {**DEFAULTS, **configured}
    if settings.COMPETENCY_PORTFOLIO["CERTIFICATE_GATE"]:
        register_certificate_gate(settings)


def register_certificate_gate(settings):
    """
    Append the certificate gate step to the certificate filter's pipeline, once only.

    The step goes to the ``CertificateCreationRequested`` entry of ``OPEN_EDX_FILTERS_CONFIG``,
    after the steps already configured there. The operator's other steps and ``fail_silently`` are
    kept; a pipeline the plugin creates gets ``fail_silently: False``, so that a failing check
    stops the generation rather than skipping the gate.
    The dicts are copied, never changed in place.
    """
    filters_config = dict(getattr(settings, "OPEN_EDX_FILTERS_CONFIG", None) or {})
    configured = filters_config.get(CERTIFICATE_FILTER)
    if configured and isinstance(configured, dict):
        entry = dict(configured)
    elif configured:  # openedx-filters also accepts a list of steps or one step's path
        entry = {"pipeline": [configured] if isinstance(configured, str) else list(configured)}
    else:
        entry = {"fail_silently": False}
    pipeline = entry.get("pipeline") or []
    pipeline = [pipeline] if isinstance(pipeline, str) else list(pipeline)
    if CERTIFICATE_GATE_STEP not in pipeline:
        pipeline.append(CERTIFICATE_GATE_STEP)
    entry["pipeline"] = pipeline
    filters_config[CERTIFICATE_FILTER] = entry
    settings.OPEN_EDX_FILTERS_CONFIG = filters_config
