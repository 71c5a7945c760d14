"""
Django system checks of the plugin (``manage.py lms check``, and the start of management commands).

``check_certificate_gate``: when the certificate gate is on (``COMPETENCY_PORTFOLIO["CERTIFICATE_GATE"]``,
the default), the plugin's step must be in the pipeline openedx-filters will run for the LMS's
certificate filter. The plugin's settings put it there, but the LMS's settings may replace
``OPEN_EDX_FILTERS_CONFIG`` after them (a Tutor ``openedx-lms-common-settings`` patch is appended
to the settings module after ``lms/envs/production.py`` has run the plugins' settings with
``add_plugins``): the gate would then vanish without a word, and certificates go to learners
whatever their portfolio.

The pipeline is read as openedx-filters reads it when the filter runs
(``OpenEdxPublicFilter.get_pipeline_configuration``: a dict with ``pipeline``, a list of steps, or
one step's path), from the final settings.

Studio (``SERVICE_VARIANT`` "cms") never runs the certificate filter: the check is silent there.
An error stops ``runserver`` and the management commands that run the checks (``migrate`` among
them): fix the settings rather than silencing it. Messages are for the operator, in English, as
Django's own checks are.
"""
from django.conf import settings
from django.core import checks
from openedx_filters.learning.filters import CertificateCreationRequested

from competency_plugin.platform.conf import get_setting
from competency_plugin.settings.common import CERTIFICATE_FILTER, CERTIFICATE_GATE_STEP

GATE_MISSING = "competency_plugin.E001"
GATE_FAILS_SILENTLY = "competency_plugin.W001"


def check_certificate_gate(app_configs=None, **kwargs):  # pylint: disable=unused-argument
    """Report the certificate gate's step missing from, or skipped by, the certificate filter's final pipeline."""
    if not get_setting("CERTIFICATE_GATE") or getattr(settings, "SERVICE_VARIANT", None) == "cms":
        return []  # off, or Studio, which never generates certificates
    pipeline, fail_silently, _extra = CertificateCreationRequested.get_pipeline_configuration()
    # openedx-filters iterates the pipeline: anything but a list (a string under "pipeline") runs no step.
    steps = list(pipeline) if isinstance(pipeline, (list, tuple)) else []
    if CERTIFICATE_GATE_STEP not in steps:
        return [checks.Error(
            f"The certificate gate is on but its step {CERTIFICATE_GATE_STEP!r} is not in the pipeline of "
            f"{CERTIFICATE_FILTER!r} in the final OPEN_EDX_FILTERS_CONFIG (pipeline: {pipeline!r}): certificates "
            "would be generated whatever the learners' portfolios.",
            hint=(
                "A settings file assigned OPEN_EDX_FILTERS_CONFIG after the plugin's settings ran (e.g. a Tutor "
                "openedx-lms-common-settings patch). Add the step to that assignment, or update the dict instead "
                "of replacing it; or set COMPETENCY_PORTFOLIO['CERTIFICATE_GATE'] = False if no course gates "
                "its certificates on the portfolio."
            ),
            obj="OPEN_EDX_FILTERS_CONFIG",
            id=GATE_MISSING,
        )]
    if fail_silently:
        return [checks.Warning(
            f"The pipeline of {CERTIFICATE_FILTER!r} has fail_silently on: if the certificate gate fails (a database "
            "error, say), openedx-filters skips it and the certificate is generated.",
            hint=f"Set 'fail_silently': False in OPEN_EDX_FILTERS_CONFIG[{CERTIFICATE_FILTER!r}].",
            obj="OPEN_EDX_FILTERS_CONFIG",
            id=GATE_FAILS_SILENTLY,
        )]
    return []
