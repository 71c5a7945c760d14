"""
The instance's Ed25519 signing keys, and the public addresses credentials point to.

A private key is a PKCS#8 PEM file, ``<name>.pem`` in the directory ``CREDENTIAL_KEY_DIR``
(created owner-only by ``create_key``); its public half is a ``CredentialKey`` row, published for
good in the issuer's controller document. ``CREDENTIAL_SIGNING_KEY`` names the key that signs.
"""
import os
import re
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from competency_plugin.credentials.models import CredentialKey
from competency_plugin.credentials.proof import multikey
from competency_plugin.exceptions import CompetencyRequestError, CompetencyUnavailableError
from competency_plugin.platform import compat
from competency_plugin.platform.conf import get_setting

KEY_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")

# Paths of the plugin's public pages (``competency_plugin.urls`` mounts them at these paths).
CREDENTIALS_PATH = "/competency/credentials/"
CASE_ITEM_PATH = "/ims/case/v1p1/CFItems/"


def base_url():
    """The public root URL of the credentials: ``CREDENTIAL_BASE_URL``, else ``LMS_ROOT_URL``, without a final /."""
    return (get_setting("CREDENTIAL_BASE_URL") or compat.lms_root_url()).rstrip("/")


def issuer_url():
    """The issuer's id: the URL of its controller document, which lists its public keys."""
    return f"{base_url()}{CREDENTIALS_PATH}issuer"


def credential_url(identifier):
    """The URL of a credential's JSON (its ``id``)."""
    return f"{base_url()}{CREDENTIALS_PATH}{identifier}.json"


def page_url(identifier):
    """The URL of a credential's human verification page."""
    return f"{base_url()}{CREDENTIALS_PATH}{identifier}/"


def status_list_url():
    """The URL of the instance's revocation status list credential."""
    return f"{base_url()}{CREDENTIALS_PATH}status/revocation"


def case_item_url(identifier):
    """The CASE 1.1 URL of a competence (CFItem) served by this instance."""
    return f"{base_url()}{CASE_ITEM_PATH}{identifier}"


def verification_method(key):
    """The ``verificationMethod`` of a key: the issuer's document, the key's multibase as fragment."""
    return f"{issuer_url()}#{key.public_key_multibase}"


def issuer_profile():
    """The issuer ``Profile`` credentials name, from the settings."""
    profile = {
        "id": issuer_url(),
        "type": ["Profile"],
        "name": get_setting("CREDENTIAL_ISSUER_NAME") or getattr(settings, "PLATFORM_NAME", "") or "Open edX",
    }
    url = get_setting("CREDENTIAL_ISSUER_URL") or compat.lms_root_url()
    if url:
        profile["url"] = url
    image = get_setting("CREDENTIAL_ISSUER_IMAGE")
    if image:
        profile["image"] = {"id": image, "type": "Image"}
    return profile


def controller_document():
    """
    The issuer's controller document: every key the instance ever signed with, as ``Multikey``
    verification methods usable for ``assertionMethod`` (rotated keys included).
    """
    issuer = issuer_url()
    methods = [
        {"id": f"{issuer}#{key.public_key_multibase}", "type": "Multikey", "controller": issuer,
         "publicKeyMultibase": key.public_key_multibase}
        for key in CredentialKey.objects.order_by("created", "id")
    ]
    return {
        "@context": ["https://www.w3.org/ns/cid/v1"],
        "id": issuer,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


def _key_dir():
    directory = get_setting("CREDENTIAL_KEY_DIR")
    if not directory:
        raise CompetencyUnavailableError(_("Credentials are not configured on this site."))
    return Path(directory)


def create_key(*, name, directory=None):
    """
    Create an Ed25519 key: its private half in ``<directory>/<name>.pem`` (owner-only, never
    overwritten), its public half in the database. Returns {"name", "public_key_multibase"}.

    Raises:
        CompetencyRequestError when the name is not a plain name or is taken, or the file exists.
    """
    if not KEY_NAME.match(name or ""):
        raise CompetencyRequestError(_("A key name is 1 to 64 letters, digits, dots, dashes or underscores."),
                                     field_errors={"name": [_("Invalid key name.")]})
    if CredentialKey.objects.filter(name=name).exists():
        raise CompetencyRequestError(_("A key of this name exists already."),
                                     field_errors={"name": [_("A key of this name exists already.")]})
    folder = Path(directory) if directory else _key_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    private_key = Ed25519PrivateKey.generate()
    pem = private_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
    path = folder / f"{name}.pem"
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as error:
        raise CompetencyRequestError(_("A key file of this name exists already."),
                                     field_errors={"name": [_("A key file of this name exists already.")]}) from error
    with os.fdopen(handle, "wb") as target:
        target.write(pem)
    try:
        with transaction.atomic():
            key = CredentialKey.objects.create(name=name, public_key_multibase=multikey(private_key.public_key()))
    except Exception:
        path.unlink(missing_ok=True)
        raise
    return {"name": key.name, "public_key_multibase": key.public_key_multibase}


def active_signer():
    """
    Return (``CredentialKey``, private key) of the key that signs (``CREDENTIAL_SIGNING_KEY``).

    Raises:
        CompetencyUnavailableError when no key is configured, or its file is missing or does not match.
    """
    name = get_setting("CREDENTIAL_SIGNING_KEY")
    key = CredentialKey.objects.filter(name=name).first() if name else None
    if key is None:
        raise CompetencyUnavailableError(_("Credentials are not configured on this site."))
    try:
        private_key = serialization.load_pem_private_key((_key_dir() / f"{name}.pem").read_bytes(), password=None)
    except (OSError, ValueError) as error:
        raise CompetencyUnavailableError(_("Credentials are not configured on this site.")) from error
    if not isinstance(private_key, Ed25519PrivateKey) or multikey(private_key.public_key()) != key.public_key_multibase:
        raise CompetencyUnavailableError(_("Credentials are not configured on this site."))
    return key, private_key


def signing_configured():
    """Whether a signing key is named and its public half known (the private file is read when signing)."""
    name = get_setting("CREDENTIAL_SIGNING_KEY")
    return bool(name and get_setting("CREDENTIAL_KEY_DIR") and CredentialKey.objects.filter(name=name).exists())
