"""
Settings shaped like the LMS's.

The project knows nothing of the competency plugin and finds it through its ``lms.djangoapp``
entry point, with ``edx_django_utils.plugins``: its app in ``INSTALLED_APPS``, then its
``common`` and ``test`` settings, in that order. The operator has already configured a step of
their own for the certificate filter, which the plugin must keep.

The database is SQLite in memory, or MariaDB with ``COMPETENCY_TEST_DB=mysql`` (a database
of its own, ``<COMPETENCY_MYSQL_DB>_lms``, so that it never meets the main suite's).
"""
import os
import tempfile

from edx_django_utils.plugins import add_plugins, get_plugin_apps

VAR_DIR = tempfile.mkdtemp(prefix="lms-shaped-")
SECRET_KEY = "lms-shaped-harness-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français"), ("ar", "العربية")]
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "tests.lms_shaped.apps.LmsShapedConfig",
]
INSTALLED_APPS += get_plugin_apps("lms.djangoapp")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "tests.lms_shaped.urls"
LOGIN_URL = "/login"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]
STATIC_URL = "/static/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": VAR_DIR}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "competency_portfolio": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": os.path.join(VAR_DIR, "attachments")},
    },
}

if os.environ.get("COMPETENCY_TEST_DB", "sqlite") == "mysql":
    DATABASES = {"default": {
        "ENGINE": "django.db.backends.mysql",
        "NAME": os.environ.get("COMPETENCY_MYSQL_DB", "competency_portfolio") + "_lms",
        "USER": os.environ.get("COMPETENCY_MYSQL_USER", "root"),
        "PASSWORD": os.environ.get("COMPETENCY_MYSQL_PASSWORD", ""),
        "HOST": os.environ.get("COMPETENCY_MYSQL_HOST", "127.0.0.1"),
        "PORT": os.environ.get("COMPETENCY_MYSQL_PORT", "3306"),
        "OPTIONS": {"charset": "utf8mb4"},
        "TEST": {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"},
    }}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {"version": 1, "disable_existing_loggers": False}

# The LMS runs Celery tasks on workers; here they run where they are queued, and fail loudly.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True

OPERATOR_CERTIFICATE_STEP = "tests.lms_shaped.steps.RecordCertificateRequest"
OPEN_EDX_FILTERS_CONFIG = {
    "org.openedx.learning.certificate.creation.requested.v1": {
        "pipeline": [OPERATOR_CERTIFICATE_STEP],
        "fail_silently": True,
    },
}

add_plugins(__name__, "lms.djangoapp", "common")
add_plugins(__name__, "lms.djangoapp", "test")
