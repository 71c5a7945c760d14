"""
The Open Badges 3.0 ``OpenBadgeCredential`` of a learner's course attestation, before signing.

The achievement is the course's attestation at its policy's version (criteria written from the
policy); one ``alignment`` per competence the decisions in force validated (at the policy's
minimum level, for the policy's framework), to the competence's own URI when its framework gave
it one, else to this instance's CASE 1.1 ``CFItems`` URL; one ``result`` per competence whose
validation recorded a level; the learner's name and ``evidence`` only when they asked for them.
"""
import uuid

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from competency_plugin.credentials import keys
from competency_plugin.credentials.status import status_entry, xsd_datetime
from competency_plugin.evidence.models import SituationType
from competency_plugin.frameworks.models import ProficiencyLevel
from competency_plugin.platform import compat
from competency_plugin.review.services import validations_in_force

CONTEXT = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
OB_SCHEMA = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"


def _title(row, language, prefix="title"):
    french, english = getattr(row, f"{prefix}_fr"), getattr(row, f"{prefix}_en")
    return (french or english) if language.startswith("fr") else (english or french)


def _levels(framework_ids, language):
    """{(framework id, code): (order, label)} of the frameworks' scales."""
    return {
        (level.framework_id, level.code): (level.order, (level.label_fr if language.startswith("fr")
                                                         else level.label_en) or level.code)
        for level in ProficiencyLevel.objects.filter(framework_id__in=framework_ids)
    }


def validated_competences(policy, course_key, user_id, language):
    """
    Return [(competence, level label or "", [evidence rows])] validated for the learner in the course,
    in the framework's order: the competences the attestation counted (the policy's minimum level
    applies to the policy's framework), each with its highest recorded level.
    """
    rows = list(validations_in_force(course_key, user_id).select_related(
        "competence__framework", "decision__evidence").order_by("competence__framework_id", "competence__path"))
    levels = _levels({row.competence.framework_id for row in rows}, language)
    minimum = levels.get((policy.framework_id, policy.min_level), (None,))[0] if policy.min_level else None
    found = {}
    for row in rows:
        competence = row.competence
        order, label = levels.get((competence.framework_id, row.level), (-1, ""))
        if minimum is not None and competence.framework_id == policy.framework_id and order < minimum:
            continue
        entry = found.setdefault(competence.id, {"competence": competence, "order": -1, "label": "", "evidence": {}})
        if order > entry["order"]:
            entry["order"], entry["label"] = order, label
        entry["evidence"][row.decision.evidence_id] = row.decision.evidence
    return [(entry["competence"], entry["label"], list(entry["evidence"].values())) for entry in found.values()]


def _target_url(competence):
    uri = (competence.extra or {}).get("uri")
    if isinstance(uri, str) and uri.startswith(("http://", "https://")):
        return uri
    return keys.case_item_url(competence.identifier)


def alignment(competence, language):
    """The OB 3.0 ``Alignment`` of a competence (a CASE CFItem)."""
    entry = {
        "type": ["Alignment"],
        "targetType": "CFItem",
        "targetName": f"{competence.code} {_title(competence, language)}".strip() or str(competence.identifier),
        "targetUrl": _target_url(competence),
        "targetFramework": _title(competence.framework, language) or str(competence.framework.identifier),
    }
    if competence.code:
        entry["targetCode"] = competence.code
    description = _title(competence, language, "description")
    if description:
        entry["targetDescription"] = description
    return entry


def criteria_narrative(policy, language):
    """The achievement's criteria, in Markdown, written from the course's attestation policy."""
    lines = [_("The course team reviewed the learner's portfolio of professional situations, competence by "
               "competence, and found that it met the course's attestation requirements:")]
    for requirement in policy.requirements.select_related("competence").order_by("competence__path"):
        competence = requirement.competence
        label = f"{competence.code} {_title(competence, language)}".strip()
        line = ngettext("{label}: at least {count} validated situation",
                        "{label}: at least {count} validated situations",
                        requirement.min_validated).format(label=label, count=requirement.min_validated)
        if requirement.min_authentic:
            line += ngettext(", of which {count} authentic professional situation",
                             ", of which {count} authentic professional situations",
                             requirement.min_authentic).format(count=requirement.min_authentic)
        lines.append(f"- {line}.")
    if policy.min_authentic:
        lines.append("- " + ngettext("At least {count} validated authentic professional situation overall.",
                                     "At least {count} validated authentic professional situations overall.",
                                     policy.min_authentic).format(count=policy.min_authentic))
    if policy.min_level:
        lines.append("- " + _("Validations count from level {level} of the framework's scale.").format(
            level=policy.min_level))
    if policy.require_blocks_completed:
        lines.append("- " + _("Every portfolio activity of the course completed."))
    return "\n".join(lines)


def _evidence_entry(item, language):
    entry = {"type": ["Evidence"], "name": item.title}
    if item.situation_type:
        with translation.override(language):
            entry["genre"] = str(SituationType(item.situation_type).label)
    if item.description:
        entry["narrative"] = item.description
    if item.occurred_on:
        entry["description"] = _("Situation of {date}").format(date=item.occurred_on.isoformat())
    return entry


def compose(*, user, policy, identifier, subject, status_index, issued_at,  # pylint: disable=too-many-arguments
            include_name, include_evidence, language):
    """Return the unsigned ``OpenBadgeCredential`` (a dict) of a learner's course attestation."""
    course_key = policy.course_key
    course_name = compat.course_display_name(course_key) or str(course_key)
    competences = validated_competences(policy, course_key, user.id, language)
    issuer = keys.issuer_profile()
    achievement = {
        "id": "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{issuer['id']}|{course_key}|{policy.version}")),
        "type": ["Achievement"],
        "name": _("Attestation of competences: {course}").format(course=course_name),
        "description": _("Awarded when a learner's portfolio of professional situations in the course {course} meets "
                         "its attestation requirements, as reviewed by the course team.").format(course=course_name),
        "criteria": {"narrative": criteria_narrative(policy, language)},
        "achievementType": "Certificate" if policy.certificate_gate else "Competency",
        "inLanguage": language,
    }
    if competences:
        achievement["alignment"] = [alignment(competence, language) for competence, _label, _items in competences]
    credential_subject = {"id": f"urn:uuid:{subject}", "type": ["AchievementSubject"], "achievement": achievement}
    if include_name:
        name = user.get_full_name() or user.get_username()
        credential_subject["identifier"] = [{"type": "IdentityObject", "identityHash": name, "identityType": "name",
                                             "hashed": False}]
    results = [
        {"type": ["Result"], "value": label, "alignment": [alignment(competence, language)]}
        for competence, label, _items in competences if label
    ]
    if results:
        credential_subject["result"] = results
    document = {
        "@context": list(CONTEXT),
        "id": keys.credential_url(identifier),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer,
        "validFrom": xsd_datetime(issued_at),
        "name": achievement["name"],
        "credentialSubject": credential_subject,
        "credentialStatus": status_entry(status_index),
        "credentialSchema": [{"id": OB_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
    }
    if include_evidence:
        items = {item.id: item for _competence, _label, evidence in competences for item in evidence}
        entries = [_evidence_entry(item, language) for item in sorted(items.values(), key=lambda row: row.id)]
        if entries:
            document["evidence"] = entries
    return document
