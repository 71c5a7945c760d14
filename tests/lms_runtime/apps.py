"""The test-only Django app holding the LMS's StudentModule rows (``models.StudentModule``)."""
from django.apps import AppConfig


class LmsRuntimeConfig(AppConfig):
    """Installed by ``tests/settings.py`` only: the LMS-faithful test runtime's tables."""

    name = "tests.lms_runtime"
    label = "lms_runtime"
    default_auto_field = "django.db.models.AutoField"
