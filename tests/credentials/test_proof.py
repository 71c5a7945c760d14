"""
The ``eddsa-rdfc-2022`` proofs: 1EdTech's Open Badges 3.0 test vector reproduced byte for byte,
sign then verify, and canonicalization that never reaches the network.
"""
import hashlib
import json
import socket
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from competency_plugin.credentials import proof

FIXTURES = Path(__file__).parent.parent / "fixtures" / "openbadges"
VECTOR = json.loads((FIXTURES / "test-vector.json").read_text())
SIGNED = json.loads((FIXTURES / "signed-credential.json").read_text())


def _unsigned():
    return {key: value for key, value in SIGNED.items() if key != "proof"}


def _proof_options():
    options = {key: value for key, value in SIGNED["proof"].items() if key != "proofValue"}
    return {**options, "@context": SIGNED["@context"]}


def _vector_key():
    return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(VECTOR["private_key_hex"])[:32])


def test_canonical_document_is_the_vector_s():
    assert proof.canonicalize(_unsigned()) == (FIXTURES / "document-canon.txt").read_text()


def test_canonical_proof_options_are_the_vector_s():
    assert proof.canonicalize(_proof_options()) == (FIXTURES / "proof-canon.txt").read_text()


def test_hashes_and_signature_are_the_vector_s():
    data = proof.hash_data(SIGNED, SIGNED["proof"])
    assert data.hex() == VECTOR["proof_hash_hex"] + VECTOR["document_hash_hex"]
    assert _vector_key().sign(data).hex() == VECTOR["signature_hex"]


def test_signing_the_vector_gives_its_proof():
    signed = proof.sign(_unsigned(), private_key=_vector_key(),
                        verification_method=SIGNED["proof"]["verificationMethod"], created=SIGNED["proof"]["created"])
    assert signed == SIGNED


def test_the_vector_s_multikey_and_its_credential_verify():
    public_key = _vector_key().public_key()
    assert public_key.public_bytes_raw().hex() == VECTOR["public_key_hex"]
    assert proof.multikey(public_key) == VECTOR["public_key_multibase"]
    assert proof.public_key_from_multikey(VECTOR["public_key_multibase"]).public_bytes_raw() == \
        public_key.public_bytes_raw()
    proof.verify(SIGNED, proof.public_key_from_multikey(VECTOR["public_key_multibase"]))


def test_round_trip_with_a_new_key():
    key = Ed25519PrivateKey.generate()
    signed = proof.sign(_unsigned(), private_key=key, verification_method="https://example.org/issuer#k",
                        created="2026-12-03T16:40:00Z")
    proof.verify(signed, key.public_key())
    with pytest.raises(proof.ProofError) as error:
        proof.verify(signed, Ed25519PrivateKey.generate().public_key())
    assert error.value.kind == "signature"


def _paths(value, prefix=()):
    """Every leaf of a JSON document (path, value)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))
    else:
        yield prefix, value


def _changed(document, path):
    copy = json.loads(json.dumps(document))
    target = copy
    for step in path[:-1]:
        target = target[step]
    value = target[path[-1]]
    target[path[-1]] = value + "x" if isinstance(value, str) else not value
    return copy


SIGNED_LEAVES = [path for path, _value in _paths(SIGNED) if path != ("proof", "proofValue") and path[0] != "@context"]


@pytest.mark.parametrize("path", SIGNED_LEAVES, ids=lambda path: ".".join(map(str, path)))
def test_changing_any_signed_field_fails(path):
    public_key = _vector_key().public_key()
    with pytest.raises(proof.ProofError):
        proof.verify(_changed(SIGNED, path), public_key)


@pytest.mark.parametrize("document", [
    {**SIGNED, "grade": "A+"},
    {**SIGNED, "credentialSubject": {**SIGNED["credentialSubject"], "grade": "A+"}},
    # Without the credentials context's @vocab, the term is undefined: an error in safe mode, not dropped.
    {**SIGNED, "credentialSubject": {**SIGNED["credentialSubject"], "@context": {"@vocab": None}, "grade": "A+"}},
], ids=["top-level", "subject", "undefined"])
def test_an_added_term_fails(document):
    with pytest.raises(proof.ProofError):
        proof.verify(document, _vector_key().public_key())


def test_the_loader_refuses_any_url_not_bundled():
    with pytest.raises(proof.ContextNotBundled):
        proof.document_loader("https://example.org/context.json")
    document = {**_unsigned(), "@context": [*SIGNED["@context"], "https://example.org/extension.json"]}
    with pytest.raises(proof.ContextNotBundled):
        proof.canonicalize(document)


def test_signing_and_verifying_never_open_a_socket(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("network access during canonicalization")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    proof._context.cache_clear()  # pylint: disable=protected-access
    key = Ed25519PrivateKey.generate()
    signed = proof.sign(_unsigned(), private_key=key, verification_method="https://example.org/issuer#k",
                        created="2026-12-03T16:40:00Z")
    proof.verify(signed, key.public_key())
    with pytest.raises(proof.ContextNotBundled):
        proof.canonicalize({**_unsigned(), "@context": [*SIGNED["@context"], "https://example.org/x.json"]})


def test_documents_without_a_proof_of_the_suite_are_refused():
    for document in ({}, {**SIGNED, "proof": [SIGNED["proof"]]},
                     {**SIGNED, "proof": {**SIGNED["proof"], "cryptosuite": "ecdsa-rdfc-2019"}},
                     {**SIGNED, "proof": {**SIGNED["proof"], "proofPurpose": "authentication"}}, []):
        with pytest.raises(proof.ProofError) as error:
            proof.check_proof_shape(document)
        assert error.value.kind == "shape"


def test_document_hash_is_sha256_of_the_canonical_document():
    canonical = (FIXTURES / "document-canon.txt").read_bytes()
    assert hashlib.sha256(canonical).hexdigest() == VECTOR["document_hash_hex"]
