"""
Test settings: the demo's (workbench + plugin loaded through edx-django-utils), with the
plugin's ``test`` settings, a throw-away storage, and the database chosen by
``COMPETENCY_TEST_DB`` (``sqlite``, the default, or ``mysql`` for MariaDB on 127.0.0.1).
"""
import os
import tempfile

os.environ.setdefault("PORTFOLIO_VAR_DIR", tempfile.mkdtemp(prefix="competency-portfolio-tests-"))

from edx_django_utils.plugins import add_plugins  # noqa: E402  pylint: disable=wrong-import-position

from demo.settings import *  # noqa: E402,F401,F403  pylint: disable=wildcard-import,unused-wildcard-import,wrong-import-position

# The demo signs credentials with a key of its own; the tests start from the plugin's defaults and
# set their keys themselves (tests/credentials).
COMPETENCY_PORTFOLIO = {}

add_plugins(__name__, "lms.djangoapp", "test")

# The LMS-faithful test runtime's StudentModule rows (tests/lms_runtime).
INSTALLED_APPS = list(INSTALLED_APPS) + ["tests.lms_runtime"]  # noqa: F405
# The tables of the edx-platform doubles (course access roles), in the test database only.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.platform_doubles.apps.PlatformDoublesConfig"]  # noqa: F405

if os.environ.get("COMPETENCY_TEST_DB", "sqlite") == "mysql":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.mysql",
            "NAME": os.environ.get("COMPETENCY_MYSQL_DB", "competency_portfolio"),
            "USER": os.environ.get("COMPETENCY_MYSQL_USER", "root"),
            "PASSWORD": os.environ.get("COMPETENCY_MYSQL_PASSWORD", ""),
            "HOST": os.environ.get("COMPETENCY_MYSQL_HOST", "127.0.0.1"),
            "PORT": os.environ.get("COMPETENCY_MYSQL_PORT", "3306"),
            "OPTIONS": {"charset": "utf8mb4"},
            "TEST": {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"},
        }
    }
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {"version": 1, "disable_existing_loggers": False}
