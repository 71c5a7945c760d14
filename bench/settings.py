"""
Settings of the benchmark: the demo's (workbench + plugin loaded as the LMS loads it) on a fresh
database, with LMS-like request middleware, and ORA2 in the same process when it is installed.

``BENCH_DB`` picks the database: ``sqlite`` (a new file in a temporary directory, the default) or
``mysql`` (the database ``BENCH_MYSQL_DB``, default ``cp_bench``, on MariaDB at 127.0.0.1:3306,
root without password; the runner creates and drops it).
"""
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("PORTFOLIO_VAR_DIR", tempfile.mkdtemp(prefix="cp-bench-"))

from demo.settings import *  # noqa: E402,F401,F403  pylint: disable=wildcard-import,unused-wildcard-import,wrong-import-position
from demo.settings import (  # noqa: E402  pylint: disable=wrong-import-position,no-name-in-module
    COMPETENCY_PORTFOLIO,
    INSTALLED_APPS,
    MIDDLEWARE,
    SQLITE_OPTIONS,
    TEMPLATES,
    VAR_DIR,
)

BENCH_DIR = Path(__file__).resolve().parent

if os.environ.get("BENCH_DB", "sqlite") == "mysql":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.mysql",
            "NAME": os.environ.get("BENCH_MYSQL_DB", "cp_bench"),
            "USER": os.environ.get("BENCH_MYSQL_USER", "root"),
            "PASSWORD": os.environ.get("BENCH_MYSQL_PASSWORD", ""),
            "HOST": os.environ.get("BENCH_MYSQL_HOST", "127.0.0.1"),
            "PORT": os.environ.get("BENCH_MYSQL_PORT", "3306"),
            "OPTIONS": {"charset": "utf8mb4"},
        }
    }
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(VAR_DIR / "bench.sqlite3"),
                             "OPTIONS": SQLITE_OPTIONS}}

# Room for the benchmark's 200 items in one block and its 20 MB upload (the instance's bounds).
COMPETENCY_PORTFOLIO = {**COMPETENCY_PORTFOLIO, "MAX_EVIDENCE_PER_BLOCK": 250, "MAX_FILE_SIZE": 32 * 1024 * 1024}

# Timings as in production: no debug templates, no query log kept between measured requests.
DEBUG = False
TEMPLATES = [{**TEMPLATES[0], "OPTIONS": {**TEMPLATES[0]["OPTIONS"], "debug": False}}]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"file": {"class": "logging.FileHandler", "filename": str(VAR_DIR / "bench.log")}},
    "root": {"handlers": ["file"], "level": "WARNING"},
}

# What the LMS runs around every request (the current request for waffle flags, the request cache),
# then the benchmark's per-request query counter (used by the browser measurements).
MIDDLEWARE = ["bench.middleware.RequestCostMiddleware"] + list(MIDDLEWARE) + [
    "crum.CurrentRequestUserMiddleware",
    "edx_django_utils.cache.middleware.RequestCacheMiddleware",
]

# ORA2 side by side, when the ``bench`` extra is installed: see bench/README.md.
FEATURES = {}
try:
    import openassessment  # noqa: F401  pylint: disable=unused-import
except ImportError as error:
    ORA2_MISSING = f"ora2 is not installed ({error}); `make bench` installs it"
else:
    ORA2_MISSING = ""
    # edx-platform's CourseWaffleFlag, which ORA2 imports, is stood in for by bench/stubs only.
    sys.path.insert(0, str(BENCH_DIR / "stubs"))
    # ORA2's webpack bundles, at /static/dist/ as the LMS serves them (LMS_ROOT_URL "": same site).
    STATICFILES_DIRS = [str(Path(openassessment.__file__).resolve().parent / "xblock" / "static")]
    LMS_ROOT_URL = ""
    # edx-toggles registers itself as an LMS plugin: it may already be there, as its AppConfig.
    INSTALLED_APPS = list(INSTALLED_APPS) + [
        app for app in ("waffle", "edx_toggles", "submissions", "openassessment", "openassessment.workflow",
                        "openassessment.assessment")
        if not any(entry == app or entry.startswith(app + ".apps.") for entry in INSTALLED_APPS)
    ]
