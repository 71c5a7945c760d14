"""
Settings of the demo: the xblock-sdk workbench on SQLite, with the competency plugin loaded
through ``edx_django_utils.plugins`` exactly as the LMS loads it, and LMS-like user and i18n
services (``demo.services``).
"""
import json
import os
import secrets
from pathlib import Path

import django
from edx_django_utils.plugins import add_plugins, get_plugin_apps
from workbench.settings import *  # pylint: disable=wildcard-import,unused-wildcard-import  # noqa: F401,F403
from workbench.settings import INSTALLED_APPS, LOGGING, MIDDLEWARE, WORKBENCH

REPO_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PORTFOLIO_VAR_DIR", REPO_ROOT / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def installation_secret(name):
    """
    Return the secret stored in ``VAR_DIR/name``, made of random bytes on first use (mode 0600).

    Each installation of the demo gets its own secrets, so that no one can sign a session or a
    token with a value read in the sources. The file appears whole or not at all (it is written
    under a temporary name, then linked): processes starting together read the same secret.
    """
    path = VAR_DIR / name
    if not path.exists():
        temporary = VAR_DIR / f".{name}.{os.getpid()}.{secrets.token_hex(8)}"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as stream:
            stream.write(secrets.token_urlsafe(48))
        try:
            os.link(temporary, path)
        except FileExistsError:  # another process was first: use its secret
            pass
        finally:
            temporary.unlink()
    return path.read_text(encoding="ascii").strip()


# The workbench's settings hold a constant SECRET_KEY: the demo's is its own.
SECRET_KEY = installation_secret("django-secret-key")

# The workbench serves MEDIA_URL from MEDIA_ROOT, both empty: the working directory at "/". demo.urls
# drops that route; these values keep an uploaded file's URL, should one be made, off the root.
MEDIA_ROOT = str(VAR_DIR / "media")
MEDIA_URL = "/media/"

# SQLite with writers in several threads or processes: a transaction takes the write lock when it begins
# (Django 5.1+), so one that has read first waits for another writer instead of failing at once with
# "database is locked" when it comes to write.
SQLITE_OPTIONS = {"timeout": 20, **({"transaction_mode": "IMMEDIATE"} if django.VERSION >= (5, 1) else {})}
if "WORKBENCH_DATABASES" not in os.environ:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(VAR_DIR / "workbench.db"),
                             "OPTIONS": SQLITE_OPTIONS}}
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
LANGUAGES = [("fr", "Français"), ("en", "English"), ("ar", "العربية")]
TIME_ZONE = "UTC"

STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT},
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
# generated at start-up, so nothing secret is stored; the HS256 secret is the installation's own
# (``installation_secret``), never a value of the sources, which would let anyone sign a token
# naming any user. The public key set must not be empty: edx-drf-extensions skips the signature
# check when it has no asymmetric key to try.
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
    "SECRET_KEY": installation_secret("jwt-secret-key"),
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
# Verifiable credentials: `make demo` creates the key "demo" in VAR_DIR/credential-keys on first run.
COMPETENCY_PORTFOLIO = {
    "CREDENTIAL_KEY_DIR": str(VAR_DIR / "credential-keys"),
    "CREDENTIAL_SIGNING_KEY": "demo",
    "CREDENTIAL_BASE_URL": "http://" + os.environ.get("DEMO_ADDRESS", "127.0.0.1:8000"),
}

CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = False

ROOT_URLCONF = "demo.urls"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
