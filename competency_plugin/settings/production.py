"""Production settings: the common ones, then the operator's overrides read from ``ENV_TOKENS``."""
from competency_plugin.settings import common


def plugin_settings(settings):
    """
    Apply ``COMPETENCY_PORTFOLIO`` from the YAML/JSON environment config, then the common settings.

    The common settings run again here on purpose: the environment config may have replaced
    ``OPEN_EDX_FILTERS_CONFIG`` after they first ran, and the certificate gate step is appended
    to it again (never twice: the registration is idempotent).
    """
    env_tokens = getattr(settings, "ENV_TOKENS", {}) or {}
    if "COMPETENCY_PORTFOLIO" in env_tokens:
        settings.COMPETENCY_PORTFOLIO = {
            **(getattr(settings, "COMPETENCY_PORTFOLIO", None) or {}),
            **env_tokens["COMPETENCY_PORTFOLIO"],
        }
    common.plugin_settings(settings)
