"""
Settings of the demo: the xblock-sdk workbench on SQLite, with the competency plugin loaded
through ``edx_django_utils.plugins`` exactly as the LMS loads it, and LMS-like user and i18n
services (``demo.services``).
"""
import os
from pathlib import Path

from edx_django_utils.plugins import add_plugins, get_plugin_apps
from workbench.settings import *  # pylint: disable=wildcard-import,unused-wildcard-import  # noqa: F401,F403
from workbench.settings import INSTALLED_APPS, LOGGING, MIDDLEWARE, WORKBENCH

REPO_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PORTFOLIO_VAR_DIR", REPO_ROOT / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

if "WORKBENCH_DATABASES" not in os.environ:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(VAR_DIR / "workbench.db")}}
LOGGING["handlers"]["logfile"]["filename"] = str(VAR_DIR / "workbench.log")
LOGGING["loggers"]["django"]["level"] = "INFO"

# Only the portfolio scenarios and the thumbs block (the benchmark's trivial block).
EXCLUDED_XBLOCKS = {
    "allscopes_demo", "attempts_scoreboard_demo", "equality_demo", "filethumbs", "helloworld_demo",
    "html_demo", "problem_demo", "sidebar_demo", "slider_demo", "textinput_demo", "view_counter_demo",
}

INSTALLED_APPS = list(INSTALLED_APPS) + ["rest_framework"] + get_plugin_apps("lms.djangoapp")
add_plugins(__name__, "lms.djangoapp", "common")

MIDDLEWARE = list(MIDDLEWARE)
MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware") + 1,
                  "django.middleware.locale.LocaleMiddleware")
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
TIME_ZONE = "UTC"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(VAR_DIR / "media")}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "competency_portfolio": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "attachments")},
    },
}

WORKBENCH = {
    **WORKBENCH,
    "services": {
        **WORKBENCH["services"],
        "user": "demo.services.DemoUserService",
        "i18n": "demo.services.DemoI18nService",
    },
}
ROOT_URLCONF = "demo.urls"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
