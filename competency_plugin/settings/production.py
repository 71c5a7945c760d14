"""Production settings: the common ones, then the operator's overrides read from ``ENV_TOKENS``."""
from competency_plugin.settings import common


def plugin_settings(settings):
    """Apply the common settings, then ``COMPETENCY_PORTFOLIO`` from the YAML/JSON environment config."""
    env_tokens = getattr(settings, "ENV_TOKENS", {}) or {}
    if "COMPETENCY_PORTFOLIO" in env_tokens:
        settings.COMPETENCY_PORTFOLIO = {
            **(getattr(settings, "COMPETENCY_PORTFOLIO", None) or {}),
            **env_tokens["COMPETENCY_PORTFOLIO"],
        }
    common.plugin_settings(settings)
