"""
Verifiable credentials in the benchmark: signing and verifying one Open Badges 3.0 credential.

A learner with ``ALIGNMENTS`` validated competences meets a course's policy; a key is created in
a temporary directory. Measured in turns (``Timer.rounds``): the proof alone (``eddsa-rdfc-2022``:
two RDFC-1.0 canonicalizations and an Ed25519 signature) on the learner's composed credential,
``api.verify_credential`` (proof, key and status, offline), a whole claim (eligibility, composition,
signature, rows written; each claim replaces the previous one, so each issues a credential) and
the signed revocation status list.
"""
import json
import tempfile

from django.test import override_settings
from django.utils import timezone
from opaque_keys.edx.keys import CourseKey

from bench import data
from competency_plugin import api
from competency_plugin.credentials import keys, proof

ALIGNMENTS = 12


def measure(run):
    """Fill ``run.results["credentials"]`` (``run``: the ``BenchRun``, for its timer, framework and leaves)."""
    course = CourseKey.from_string("course-v1:bench+credentials+2026")
    usage_keys = [course.make_usage_key("portfolio", "situations")]
    learner = data.users(["credential-learner"])["credential-learner"]
    competences = run.leaves[:ALIGNMENTS]
    data.accepted_items({learner: ALIGNMENTS}, course, usage_keys, competences)
    policy = data.attestation_policy(course, run.framework, [(competences[0], 1, 0)])
    policy.min_authentic = 0
    policy.require_blocks_completed = False
    policy.save()
    with tempfile.TemporaryDirectory() as folder, override_settings(COMPETENCY_PORTFOLIO={
            "CREDENTIAL_KEY_DIR": folder, "CREDENTIAL_SIGNING_KEY": "bench"}, LMS_ROOT_URL="https://lms.example.org"):
        api.create_key(name="bench")
        first, _created = api.claim_credential(user=learner, course_key=course, language="fr")
        document = first.document
        unsigned = {key: value for key, value in document.items() if key != "proof"}
        key, private_key = keys.active_signer()
        method = keys.verification_method(key)
        created = proof.check_proof_shape(document)["created"]
        choices = [True, False]

        def claim(index):
            api.claim_credential(user=learner, course_key=course, include_name=choices[index % 2], language="fr")

        figures = run.timer.rounds({
            "sign": lambda index: proof.sign(unsigned, private_key=private_key, verification_method=method,
                                             created=created),
            "verify": lambda index: api.verify_credential(document),
            "claim": claim,
            "status_list": lambda index: api.status_list_credential(),
        })
        if api.verify_credential(document).status != "revoked":  # replaced by the next claims
            raise RuntimeError("the first credential should read as revoked once replaced")
    figures["alignments"] = len(document["credentialSubject"]["achievement"].get("alignment", ()))
    figures["bytes"] = len(json.dumps(document, ensure_ascii=False).encode())
    figures["at"] = timezone.now().isoformat()
    run.results["credentials"] = figures
