"""
Settings of the demo: the xblock-sdk workbench on SQLite, with the competency plugin loaded
through ``edx_django_utils.plugins`` exactly as the LMS loads it, and LMS-like user and i18n
services (``demo.services``).
"""
import json
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
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "media")},
    },
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


# JWT authentication of the plugin's REST API (edx-drf-extensions' JwtAuthentication). In
# production the LMS defines JWT_AUTH (issuer, audience, keys, cookie names) and signs the tokens;
# these demo-only values let the demo and the tests sign and verify tokens. The RSA key pair is
# generated at start-up, so nothing secret is stored. The public key set must not be empty:
# edx-drf-extensions skips the signature check when it has no asymmetric key to try.
def _demo_jwt_signing_keys():
    """Return a fresh RSA key pair as (private JWK JSON, public JWK set JSON)."""
    from cryptography.hazmat.primitives.asymmetric import rsa  # pylint: disable=import-outside-toplevel
    from jwt.algorithms import RSAAlgorithm  # pylint: disable=import-outside-toplevel

    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_jwk = {**RSAAlgorithm.to_jwk(private_key, as_dict=True), "kid": "competency-demo"}
    public_jwk = {**RSAAlgorithm.to_jwk(private_key.public_key(), as_dict=True), "kid": "competency-demo"}
    return json.dumps(private_jwk), json.dumps({"keys": [public_jwk]})


_JWT_PRIVATE_JWK, _JWT_PUBLIC_JWK_SET = _demo_jwt_signing_keys()
_JWT_ISSUER = {
    "ISSUER": "http://127.0.0.1:8000/oauth2",
    "AUDIENCE": "competency-demo",
    "SECRET_KEY": "competency-demo-jwt-secret-not-for-production",
}
JWT_AUTH = {
    "JWT_ISSUER": _JWT_ISSUER["ISSUER"],
    "JWT_AUDIENCE": _JWT_ISSUER["AUDIENCE"],
    "JWT_SECRET_KEY": _JWT_ISSUER["SECRET_KEY"],
    "JWT_ISSUERS": [_JWT_ISSUER],
    "JWT_ALGORITHM": "HS256",
    "JWT_SIGNING_ALGORITHM": "RS512",
    "JWT_PRIVATE_SIGNING_JWK": _JWT_PRIVATE_JWK,
    "JWT_PUBLIC_SIGNING_JWK_SET": _JWT_PUBLIC_JWK_SET,
    "JWT_DECODE_HANDLER": "edx_rest_framework_extensions.auth.jwt.decoder.jwt_decode_handler",
    "JWT_AUTH_HEADER_PREFIX": "JWT",
    "JWT_AUTH_COOKIE": "edx-jwt-cookie",
    "JWT_VERIFY_EXPIRATION": True,
    "JWT_LEEWAY": 1,
}

# Celery (``demo/celery.py``): no broker in the demo, so tasks run where they are queued; a
# task's failure is logged and kept in its result, not raised into the caller (as with a worker).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = False

ROOT_URLCONF = "demo.urls"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
