"""The harness's own app: what the LMS's plugins app does when Django is ready."""
from django.apps import AppConfig
from edx_django_utils.plugins import connect_plugin_receivers


class LmsShapedConfig(AppConfig):
    """Connects the plugins' signal receivers, as edx-platform's ``PluginsConfig.ready`` does."""

    name = "tests.lms_shaped"
    label = "lms_shaped"

    def ready(self):
        """Connect every ``lms.djangoapp`` plugin's receivers and start the project's Celery app."""
        from tests.lms_shaped import celery_app  # noqa: F401  pylint: disable=import-outside-toplevel,unused-import

        connect_plugin_receivers("lms.djangoapp")
