"""Test settings: the common ones."""
from competency_plugin.settings import common


def plugin_settings(settings):
    """Apply the common settings."""
    common.plugin_settings(settings)
