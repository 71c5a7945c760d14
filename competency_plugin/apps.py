"""Django application configuration, declared for the edx-django-utils plugin mechanism."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from edx_django_utils.plugins.constants import PluginSettings, PluginSignals, PluginURLs

_PROJECTS = ("lms.djangoapp", "cms.djangoapp")


# Platform signals the plugin receives, connected by ``connect_plugin_receivers`` (receivers in ``signals.handlers``).
_RECEIVERS = [
    {
        PluginSignals.RECEIVER_FUNC_NAME: "refresh_eligibility_on_passing_status",
        PluginSignals.SIGNAL_PATH: "openedx_events.learning.signals.COURSE_PASSING_STATUS_UPDATED",
        PluginSignals.DISPATCH_UID: "competency_plugin.refresh_eligibility_on_passing_status",
    },
    {
        # The LMS's account retirement; ``compat`` gives the platform's signal, or a stand-in outside it.
        PluginSignals.RECEIVER_FUNC_NAME: "retire_user_data",
        PluginSignals.SIGNAL_PATH: "competency_plugin.platform.compat.USER_RETIRE_LMS_CRITICAL",
        PluginSignals.DISPATCH_UID: "competency_plugin.retire_user_data",
    },
]


def _settings_config():
    return {
        "common": {PluginSettings.RELATIVE_PATH: "settings.common"},
        "production": {PluginSettings.RELATIVE_PATH: "settings.production"},
        "test": {PluginSettings.RELATIVE_PATH: "settings.test"},
    }


class CompetencyPluginConfig(AppConfig):
    """The ``competency_plugin`` app, loaded by the LMS and Studio through their plugin entry points."""

    name = "competency_plugin"
    label = "competency_plugin"
    verbose_name = _("Competency portfolio")
    default_auto_field = "django.db.models.BigAutoField"

    plugin_app = {
        PluginURLs.CONFIG: {
            project: {
                PluginURLs.NAMESPACE: "competency_plugin",
                # ``urls`` holds both prefixes: ``api/competency/`` (REST) and ``competency/`` (pages).
                PluginURLs.REGEX: r"^",
                PluginURLs.RELATIVE_PATH: "urls",
            }
            for project in _PROJECTS
        },
        PluginSettings.CONFIG: {project: _settings_config() for project in _PROJECTS},
        PluginSignals.CONFIG: {
            project: {PluginSignals.RELATIVE_PATH: "signals.handlers", PluginSignals.RECEIVERS: _RECEIVERS}
            for project in _PROJECTS
        },
    }

    def ready(self):
        """
        Register the plugin's system checks (``competency_plugin.checks``) and what runs the services'
        after-commit jobs (``tasks.register_jobs``). The platform's signals are connected by the plugin
        config; the plugin does not listen to its own ``evidence_reviewed`` (sent for other plugins).
        """
        from django.core import checks  # pylint: disable=import-outside-toplevel
        from django.db.models.signals import post_save  # pylint: disable=import-outside-toplevel

        from competency_plugin import checks as plugin_checks  # pylint: disable=import-outside-toplevel
        from competency_plugin import tasks  # pylint: disable=import-outside-toplevel
        from competency_plugin.signals import handlers  # pylint: disable=import-outside-toplevel

        checks.register(plugin_checks.check_certificate_gate)
        # Services schedule background work by name (``platform.after_commit``); the tasks run it.
        tasks.register_jobs()
        # A submitted situation opens to peers (peer feedback): the model's own signal, whatever saves it.
        post_save.connect(
            handlers.open_submitted_to_peers, sender="competency_plugin.Evidence",
            dispatch_uid="competency_plugin.open_submitted_to_peers",
        )
