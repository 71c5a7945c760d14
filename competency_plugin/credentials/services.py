"""
Verifiable credentials of course attestations: claim, list, revoke, verify, erase.

A learner who meets a course's attestation policy claims an Open Badges 3.0 credential, signed
at once with the instance's active key and kept as issued. Staff revoke one with a reason: its
bit is set in the status list. ``verify_credential`` checks a document offline: its proof against
the instance's published keys, then its status. See docs/decisions/0014-verifiable-credentials.rst.
"""
import uuid

from django.db import transaction
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from competency_plugin.attestation.eligibility import get_eligibility
from competency_plugin.attestation.policies import load_policy
from competency_plugin.credentials import keys, proof
from competency_plugin.credentials.compose import compose
from competency_plugin.credentials.data import CredentialData, CredentialVerification
from competency_plugin.credentials.models import CredentialKey, IssuedCredential
from competency_plugin.credentials.status import create_with_free_index
from competency_plugin.exceptions import CompetencyConflictError, CompetencyNotFoundError, CompetencyRequestError
from competency_plugin.platform.keys import parse_course_key

REASON_MAX_LENGTH = 500


def credential_to_data(row):
    """Return the ``CredentialData`` of an issued credential."""
    return CredentialData(
        identifier=row.uuid,
        course_key=str(row.course_key),
        issued_at=row.issued_at,
        include_name=row.include_name,
        include_evidence=row.include_evidence,
        revoked=row.revoked,
        revoked_at=row.revoked_at,
        revocation_reason=row.revocation_reason,
        url=keys.credential_url(row.uuid),
        verification_url=keys.page_url(row.uuid),
        document=row.document,
    )


def _revoke(row, reason, revoked_by_id=None):
    row.revoked_at = timezone.now()
    row.revocation_reason = reason[:REASON_MAX_LENGTH]
    row.revoked_by_id = revoked_by_id
    row.save(update_fields=["revoked_at", "revocation_reason", "revoked_by"])


def claim_credential(*, user, course_key, include_name=False, include_evidence=False, language=None):
    """
    Issue the learner's credential for a course's attestation, or return the one they hold.

    A learner holds one credential in force per course: a claim with the same choices returns it;
    a claim with other choices (their name, their evidence) replaces it, the old one revoked.

    Returns:
        (CredentialData, whether a credential was issued now)

    Raises:
        CompetencyRequestError when the learner does not meet the course's attestation policy.
        CompetencyUnavailableError when the site has no signing key configured.
    """
    course_key = parse_course_key(course_key, field="course_id")
    language = language or translation.get_language() or "en"
    report = get_eligibility(user, course_key, language=language)
    if not report.eligible:
        message = _("You do not meet the attestation requirements of this course yet.")
        raise CompetencyRequestError(message, field_errors={"course_id": [message]})
    key, private_key = keys.active_signer()
    with transaction.atomic():
        current = (IssuedCredential.objects.select_for_update()
                   .filter(user_id=user.id, course_key=course_key, revoked_at__isnull=True, erased=False).first())
        if current is not None:
            if (current.include_name, current.include_evidence) == (bool(include_name), bool(include_evidence)):
                return credential_to_data(current), False
            _revoke(current, _("Replaced by a new claim of the learner."))
        now = timezone.now()
        row = create_with_free_index(
            user_id=user.id, course_key=course_key, key=key, include_name=bool(include_name),
            include_evidence=bool(include_evidence), issued_at=now,
        )
        with translation.override(language):
            document = compose(
                user=user, policy=load_policy(course_key), identifier=row.uuid, subject=uuid.uuid4(),
                status_index=row.status_index, issued_at=now, include_name=include_name,
                include_evidence=include_evidence, language=language,
            )
        row.document = proof.sign(document, private_key=private_key, verification_method=keys.verification_method(key),
                                  created=document["validFrom"])
        row.save(update_fields=["document"])
    return credential_to_data(row), True


def list_credentials(*, user_id, course_key=None):
    """Return the learner's credentials (``CredentialData``), newest first; of one course when given."""
    rows = IssuedCredential.objects.filter(user_id=user_id, erased=False)
    if course_key is not None:
        rows = rows.filter(course_key=parse_course_key(course_key))
    return [credential_to_data(row) for row in rows.order_by("-issued_at", "-id")]


def _row(identifier):
    try:
        value = uuid.UUID(str(identifier))
    except ValueError as error:
        raise CompetencyNotFoundError(_("No credential has this identifier.")) from error
    row = IssuedCredential.objects.filter(uuid=value).first()
    if row is None:
        raise CompetencyNotFoundError(_("No credential has this identifier."))
    return row


def get_public_credential(identifier):
    """
    Return (the signed document, or None when erased; revoked) of a credential, for anyone.

    Raises:
        CompetencyNotFoundError when no credential has this identifier.
    """
    row = _row(identifier)
    return (None if row.erased else row.document), row.revoked


def credential_course(identifier):
    """The course key (text) of a credential, for the caller's permission check; NotFound otherwise."""
    return str(_row(identifier).course_key)


def revoke_credential(*, identifier, reason, revoked_by_id=None):
    """
    Revoke a credential with a reason (shown on its verification page); its status bit is set.

    Raises:
        CompetencyRequestError when the reason is empty or too long.
        CompetencyNotFoundError when no credential has this identifier.
        CompetencyConflictError when it is revoked already.
    """
    reason = (reason or "").strip()
    if not reason or len(reason) > REASON_MAX_LENGTH:
        message = _("Give a reason of 1 to {count} characters.").format(count=REASON_MAX_LENGTH)
        raise CompetencyRequestError(message, field_errors={"reason": [message]})
    with transaction.atomic():
        row = _row(identifier)
        row = IssuedCredential.objects.select_for_update().get(pk=row.pk)
        if row.revoked:
            raise CompetencyConflictError(_("This credential is revoked already."))
        _revoke(row, reason, revoked_by_id)
    return credential_to_data(row)


def _invalid(reason, credential_id=""):
    return CredentialVerification(status="invalid", reason=reason, credential_id=credential_id)


_PROOF_REASONS = {
    "shape": lambda: _("The credential carries no proof of the kind this site signs (eddsa-rdfc-2022)."),
    "jsonld": lambda: _("The credential is not well-formed: its terms do not match its contexts."),
    "context": lambda: _("The credential uses a JSON-LD context this site does not know."),
    "signature": lambda: _("The signature does not match: the credential was changed after it was signed."),
}


def _status(document, credential_id):
    """The verification of a document whose proof holds: revoked when its status bit is set."""
    entry = document.get("credentialStatus")
    if entry is None:
        return CredentialVerification(status="valid", reason="", credential_id=credential_id)
    if not isinstance(entry, dict) or entry.get("statusListCredential") != keys.status_list_url():
        return _invalid(_("The credential's status is not kept by this site."), credential_id)
    try:
        index = int(entry.get("statusListIndex"))
    except (TypeError, ValueError):
        return _invalid(_("The credential's status entry is not valid."), credential_id)
    row = IssuedCredential.objects.filter(status_index=index).only("revoked_at", "revocation_reason").first()
    if row is not None and row.revoked:
        reason = _("The issuer revoked this credential: {reason}").format(reason=row.revocation_reason)
        return CredentialVerification(status="revoked", reason=reason, credential_id=credential_id)
    return CredentialVerification(status="valid", reason="", credential_id=credential_id)


def verify_credential(document):
    """
    Check a credential this site issued, offline: its proof against the site's published keys
    (rotated ones included), its issuer, then its revocation status.

    Returns:
        CredentialVerification: ``valid``, ``revoked`` or ``invalid``, with the reason.
    """
    credential_id = document.get("id", "") if isinstance(document, dict) else ""
    credential_id = credential_id if isinstance(credential_id, str) else ""
    try:
        shape = proof.check_proof_shape(document)
    except proof.ProofError as error:
        return _invalid(_PROOF_REASONS[error.kind](), credential_id)
    issuer = keys.issuer_url()
    method = shape["verificationMethod"]
    key = None
    if method.startswith(issuer + "#"):
        key = CredentialKey.objects.filter(public_key_multibase=method[len(issuer) + 1:]).first()
    if key is None:
        return _invalid(_("The credential was not signed by a key this site publishes."), credential_id)
    named = document.get("issuer")
    if (named.get("id") if isinstance(named, dict) else named) != issuer:
        return _invalid(_("The credential names another issuer than the owner of its key."), credential_id)
    try:
        proof.verify(document, proof.public_key_from_multikey(key.public_key_multibase))
    except proof.ProofError as error:
        return _invalid(_PROOF_REASONS[error.kind](), credential_id)
    return _status(document, credential_id)


def erase_learner_credentials(user_id):
    """
    Retirement: revoke the learner's credentials and erase them (document, link to the account);
    their status bits stay set so that copies they shared read as revoked. Returns the count.
    """
    rows = IssuedCredential.objects.filter(user_id=user_id)
    now = timezone.now()
    reason = _("The learner's account was closed.")
    rows.filter(revoked_at__isnull=True).update(revoked_at=now, revocation_reason=reason)
    return rows.update(user=None, document={}, erased=True, include_name=False, include_evidence=False)


def export_credentials(*, user_id, course_key=None):
    """The learner's credentials as (file name, signed document) for their portfolio export."""
    return [(f"{item.identifier}.json", item.document) for item in list_credentials(user_id=user_id,
                                                                                    course_key=course_key)]


def _achievement_type(value):
    """The label of an OB 3.0 ``achievementType`` this site issues, else the value itself."""
    labels = {"Competency": _("Competency"), "Certificate": _("Certificate")}
    return labels.get(value, value)


def _names(document, language):
    """What the verification page shows of a document: issuer, achievement, competences, learner's name."""
    issuer = document.get("issuer") if isinstance(document.get("issuer"), dict) else {}
    subject = document.get("credentialSubject") if isinstance(document.get("credentialSubject"), dict) else {}
    achievement = subject.get("achievement") if isinstance(subject.get("achievement"), dict) else {}
    levels = {}
    for result in subject.get("result") or []:
        for target in result.get("alignment") or []:
            levels[target.get("targetUrl")] = result.get("value", "")
    names = [entry.get("identityHash") for entry in subject.get("identifier") or []
             if entry.get("identityType") == "name"]
    return {
        "issuer_name": issuer.get("name", ""),
        "issuer_url": issuer.get("url", ""),
        "name": document.get("name", ""),
        "achievement_name": achievement.get("name", ""),
        "achievement_type": _achievement_type(achievement.get("achievementType", "")),
        "criteria": (achievement.get("criteria") or {}).get("narrative", ""),
        "language": achievement.get("inLanguage", language),
        "learner_name": names[0] if names else "",
        "valid_from": document.get("validFrom", ""),
        "valid_from_date": parse_datetime(str(document.get("validFrom", ""))),
        "competences": [
            {"code": target.get("targetCode", ""), "name": target.get("targetName", ""),
             "framework": target.get("targetFramework", ""), "url": target.get("targetUrl", ""),
             "level": levels.get(target.get("targetUrl"), "")}
            for target in achievement.get("alignment") or []
        ],
        "evidence": [
            {"name": item.get("name", ""), "genre": item.get("genre", ""), "description": item.get("description", "")}
            for item in document.get("evidence") or []
        ],
    }


def credential_page(identifier, *, language=None):
    """
    What the public verification page of a credential shows: the result of verifying the stored
    document (``tampered`` when its proof no longer holds), and what it says.

    Raises:
        CompetencyNotFoundError when no credential has this identifier.
    """
    row = _row(identifier)
    page = {"identifier": str(row.uuid), "url": keys.credential_url(row.uuid), "page_url": keys.page_url(row.uuid),
            "erased": row.erased}
    if row.erased:
        return {**page, "state": "revoked", "reason": _("The issuer revoked this credential."), "details": None}
    result = verify_credential(row.document)
    state = {"valid": "valid", "revoked": "revoked"}.get(result.status, "tampered")
    return {**page, "state": state, "reason": result.reason, "details": _names(row.document, language or "en")}
