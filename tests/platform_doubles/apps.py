"""The test app holding the tables of the platform doubles (``tests.platform_doubles``)."""
from django.apps import AppConfig


class PlatformDoublesConfig(AppConfig):
    """Tables standing for the LMS's (course access roles), created in the test database only."""

    name = "tests.platform_doubles"
    label = "platform_doubles"
    default_auto_field = "django.db.models.AutoField"
