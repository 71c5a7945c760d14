"""
Data Integrity proofs, cryptosuite ``eddsa-rdfc-2022``: Ed25519 over the RDF canonical form.

The transformation, hashing and proof serialization follow W3C's "Data Integrity EdDSA
Cryptosuites v1.0" (``eddsa-rdfc-2022``): the document without its proof and the proof options
(the proof without ``proofValue``, with the document's ``@context``) are each canonicalized with
RDFC-1.0 (pyld's ``URDNA2015``, N-Quads), hashed with SHA-256, and the Ed25519 signature of
``hash(proof options) + hash(document)`` is written in multibase base58btc (``z…``).

pyld reads JSON-LD contexts through ``LOADER``, which serves the contexts bundled in
``contexts/`` and refuses every other URL: signing and verifying never reach the network.
A property no context defines is an error rather than silently dropped from what is signed (pyld
calls ``on_property_dropped`` for each; JSON-LD processors otherwise ignore such terms).

This module knows no model and no setting: keys come in as ``cryptography`` objects.
"""
import copy
import hashlib
import json
from functools import lru_cache
from pathlib import Path

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pyld import jsonld

CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_TYPE = "DataIntegrityProof"
# The multicodec prefix of an Ed25519 public key (0xed, as an unsigned varint) in a Multikey.
ED25519_PUB_PREFIX = b"\xed\x01"

CONTEXTS_DIR = Path(__file__).with_name("contexts")
BUNDLED_CONTEXTS = {
    "https://www.w3.org/ns/credentials/v2": "credentials-v2.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-v3p0-context-3.0.3.json",
    "https://w3id.org/security/data-integrity/v2": "data-integrity-v2.jsonld",
    "https://w3id.org/security/multikey/v1": "multikey-v1.jsonld",
}


class ProofError(ValueError):
    """
    A document or proof that cannot be signed or verified; the message says why (in English, for
    logs), ``kind`` what went wrong: ``shape`` (no proof of this cryptosuite), ``jsonld`` (not
    valid JSON-LD), ``context`` (a context not bundled), ``signature`` (the signature does not match).
    """

    kind = "shape"

    def __init__(self, message, kind=None):
        super().__init__(message)
        self.kind = kind or self.kind


class ContextNotBundled(ProofError):
    """A document names a JSON-LD context that is not bundled: it is never fetched."""

    kind = "context"


@lru_cache(maxsize=None)
def _context(url):
    return json.loads((CONTEXTS_DIR / BUNDLED_CONTEXTS[url]).read_text(encoding="utf-8"))


def document_loader(url, options=None):  # pylint: disable=unused-argument
    """The document loader given to pyld: the bundled context of ``url``, else ``ContextNotBundled`` (no network)."""
    if url not in BUNDLED_CONTEXTS:
        raise ContextNotBundled(f"JSON-LD context not bundled, not fetched: {url}")
    return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
            "document": copy.deepcopy(_context(url))}


def _cause(error):
    """The error behind a pyld error (pyld keeps it as ``cause`` or chains it)."""
    return getattr(error, "cause", None) or error.__cause__


def _refuse_dropped(expanded_property):
    raise ProofError(f"A property no context defines would be dropped: {expanded_property}", "jsonld")


def canonicalize(document):
    """Return the RDFC-1.0 (URDNA2015) canonical N-Quads of a JSON-LD document, offline; undefined terms refused."""
    options = {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": document_loader}
    processor = jsonld.JsonLdProcessor(on_property_dropped=_refuse_dropped)
    try:
        return processor.normalize(copy.deepcopy(document), options)
    except ProofError:
        raise
    except jsonld.JsonLdError as error:
        cause = error
        while isinstance(cause, jsonld.JsonLdError) and _cause(cause) is not None:
            cause = _cause(cause)
        if isinstance(cause, ProofError):
            raise cause from error
        detail = error.args[0] if error.args else error
        raise ProofError(f"The document is not valid JSON-LD for these contexts: {detail}", "jsonld") from error
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as error:
        # pyld lets some errors of malformed input through unwrapped.
        raise ProofError(f"The document is not valid JSON-LD: {error!r}", "jsonld") from error


def multikey(public_key):
    """Return the Multikey ``publicKeyMultibase`` (``z6Mk…``) of an Ed25519 public key."""
    raw = public_key.public_bytes_raw()
    return "z" + base58.b58encode(ED25519_PUB_PREFIX + raw).decode("ascii")


def public_key_from_multikey(value):
    """Return the Ed25519 public key of a ``publicKeyMultibase``; ``ProofError`` when it is not one."""
    if not isinstance(value, str) or not value.startswith("z"):
        raise ProofError("The public key is not multibase base58btc.")
    try:
        raw = base58.b58decode(value[1:])
    except ValueError as error:
        raise ProofError("The public key is not valid base58.") from error
    if len(raw) != 34 or not raw.startswith(ED25519_PUB_PREFIX):
        raise ProofError("The public key is not an Ed25519 Multikey.")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def hash_data(document, proof_options):
    """
    Return the bytes an ``eddsa-rdfc-2022`` signature covers: SHA-256 of the canonical proof options
    (with the document's ``@context``) followed by SHA-256 of the canonical document without its proof.
    """
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    options = {key: value for key, value in proof_options.items() if key != "proofValue"}
    options["@context"] = document.get("@context")
    return (hashlib.sha256(canonicalize(options).encode("utf-8")).digest()
            + hashlib.sha256(canonicalize(unsecured).encode("utf-8")).digest())


def sign(document, *, private_key: Ed25519PrivateKey, verification_method, created):
    """
    Return a copy of ``document`` with a ``DataIntegrityProof`` (``eddsa-rdfc-2022``, proof purpose
    ``assertionMethod``) made with ``private_key``; ``created`` is an XML Schema dateTime string.
    """
    proof = {
        "type": PROOF_TYPE,
        "created": created,
        "verificationMethod": verification_method,
        "cryptosuite": CRYPTOSUITE,
        "proofPurpose": "assertionMethod",
    }
    signature = private_key.sign(hash_data(document, proof))
    proof["proofValue"] = "z" + base58.b58encode(signature).decode("ascii")
    return {**{key: value for key, value in document.items() if key != "proof"}, "proof": proof}


def check_proof_shape(document):
    """Return the document's one proof, checked for the cryptosuite's fields; ``ProofError`` otherwise."""
    if not isinstance(document, dict):
        raise ProofError("The credential is not a JSON object.")
    proof = document.get("proof")
    if not isinstance(proof, dict):
        raise ProofError("The credential has no proof, or more than one.")
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError(f"The proof is not a {PROOF_TYPE} of the {CRYPTOSUITE} cryptosuite.")
    if proof.get("proofPurpose") != "assertionMethod":
        raise ProofError("The proof's purpose is not assertionMethod.")
    if not isinstance(proof.get("verificationMethod"), str) or not isinstance(proof.get("proofValue"), str):
        raise ProofError("The proof has no verification method or no value.")
    return proof


def verify(document, public_key: Ed25519PublicKey):
    """Check the document's proof with ``public_key``; ``ProofError`` saying why when it does not hold."""
    proof = check_proof_shape(document)
    value = proof["proofValue"]
    if not value.startswith("z"):
        raise ProofError("The proof value is not multibase base58btc.")
    try:
        signature = base58.b58decode(value[1:])
    except ValueError as error:
        raise ProofError("The proof value is not valid base58.", "signature") from error
    try:
        public_key.verify(signature, hash_data(document, proof))
    except InvalidSignature as error:
        raise ProofError("The signature does not match the credential: it was changed after signing.",
                         "signature") from error
