"""
Revocation through a W3C Bitstring Status List: one list of the instance, one bit per credential.

A credential's bit is drawn at random among the list's 131,072 (the specification's minimum
size, so that the list says nothing of how many credentials exist nor which were issued
together). The list is served as a ``BitstringStatusListCredential`` signed with the active key;
``encodedList`` is the multibase base64url (``u…``) of the GZIP-compressed bitstring, bit 0 being
the most significant bit of the first byte.
"""
import base64
import datetime
import gzip
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from competency_plugin.credentials import keys, proof
from competency_plugin.credentials.models import IssuedCredential

LIST_SIZE = 131072
STATUS_PURPOSE = "revocation"
_ATTEMPTS = 20


def xsd_datetime(moment):
    """An aware datetime as an XML Schema dateTime in UTC, to the second (``2026-12-03T16:40:00Z``)."""
    return moment.astimezone(datetime.timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def status_entry(index):
    """The ``credentialStatus`` of the credential holding bit ``index``."""
    url = keys.status_list_url()
    return {
        "id": f"{url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": STATUS_PURPOSE,
        "statusListIndex": str(index),
        "statusListCredential": url,
    }


def create_with_free_index(**fields):
    """
    Create an ``IssuedCredential`` on a random free bit of the list; the unique index settles races.

    Raises:
        IntegrityError when no free bit was found (the list is nearly full).
    """
    for _attempt in range(_ATTEMPTS):
        index = secrets.randbelow(LIST_SIZE)
        if IssuedCredential.objects.filter(status_index=index).exists():
            continue
        try:
            with transaction.atomic():
                return IssuedCredential.objects.create(status_index=index, **fields)
        except IntegrityError:
            continue
    raise IntegrityError("No free index in the revocation status list.")


def encode_list(indices):
    """The ``encodedList`` of a list whose bits ``indices`` are set."""
    bits = bytearray(LIST_SIZE // 8)
    for index in indices:
        bits[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode("ascii").rstrip("=")


def decode_list(encoded):
    """The bitstring of an ``encodedList`` (bytes); ``ValueError`` when it is not one."""
    if not isinstance(encoded, str) or not encoded.startswith("u"):
        raise ValueError("not multibase base64url")
    data = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))


def is_set(bitstring, index):
    """Whether bit ``index`` of ``bitstring`` is set (False beyond its end)."""
    position = index // 8
    return position < len(bitstring) and bool(bitstring[position] & (0x80 >> (index % 8)))


def revoked_indices():
    """The bits of the revoked credentials (one query)."""
    return IssuedCredential.objects.filter(revoked_at__isnull=False).values_list("status_index", flat=True)


def status_list_credential():
    """
    Return the instance's ``BitstringStatusListCredential``, signed now with the active key.

    Raises:
        CompetencyUnavailableError when no signing key is configured.
    """
    key, private_key = keys.active_signer()
    now = xsd_datetime(timezone.now())
    url = keys.status_list_url()
    document = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": keys.issuer_url(),
        "validFrom": now,
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": STATUS_PURPOSE,
            "encodedList": encode_list(revoked_indices()),
        },
    }
    return proof.sign(document, private_key=private_key, verification_method=keys.verification_method(key),
                      created=now)
