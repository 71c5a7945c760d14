"""Settings common to every environment (``plugin_settings`` is called by edx-django-utils)."""
from competency_plugin.conf import DEFAULTS


def plugin_settings(settings):
    """Fill in the operator's ``COMPETENCY_PORTFOLIO`` dict with the documented defaults."""
    configured = getattr(settings, "COMPETENCY_PORTFOLIO", None) or {}
    settings.COMPETENCY_PORTFOLIO = {**DEFAULTS, **configured}
