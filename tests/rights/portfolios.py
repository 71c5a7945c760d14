"""
Whole portfolios built through ``competency_plugin.api``, for the retirement and export tests.

They hold situations with texts, claims, files, links, submissions and review decisions.

Every text a learner writes carries their ``marker``, so that tests can search the database and
the storage for what is left of it.
"""
import io

from competency_plugin import api
from tests.factories import usage_key
from tests.review import support as review_support

COURSE = "course-v1:Demo+Rights+2026"
OTHER_COURSE = "course-v1:Demo+Other+2026"


def make_framework():
    """Save a framework (one domain, two competences, a three-value scale); return {code: identifier}."""
    return review_support.make_framework(titles=("Compétence", "Competence"), proficient="BC")


def record_situation(  # pylint: disable=too-many-arguments
    user, marker, framework, *, course=COURSE, block="situations", title=None, files=(), link=True, submit=True,
):
    """
    Record a situation claiming competence D1.1 (justified), with ``files`` [(name, bytes)] and a link.

    Returns:
        EvidenceData
    """
    usage = usage_key(course, block)
    evidence = api.save_draft(
        user_id=user.id, course_key=course, usage_key=usage,
        data={
            "title": title or f"Séance {marker}",
            "situation_type": "authentic",
            "school_level": f"CM2 {marker}",
            "subject": f"Sciences {marker}",
            "description": f"Mes élèves de {marker} ont mesuré l’ombre.",
            "analysis": f"Analyse {marker} : la consigne était trop longue.",
        },
        claims=[{"competence": framework["D1.1"], "justification": f"Justification {marker}"}],
        framework_identifier=framework["framework"],
    )
    limits = api.upload_limits()
    for name, content in files:
        api.add_file(user_id=user.id, evidence_uuid=evidence.uuid, upload=io.BytesIO(content), filename=name,
                     limits=limits)
    if link:
        api.add_link(user_id=user.id, evidence_uuid=evidence.uuid,
                     data={"url": f"https://example.org/{marker.lower()}/video", "title": f"Vidéo {marker}"},
                     limits=limits)
    if submit:
        evidence = api.submit_evidence(user_id=user.id, evidence_uuid=evidence.uuid)
    return api.get_evidence(user_id=user.id, evidence_uuid=evidence.uuid)


def review(evidence, reviewer, framework, *, outcome, feedback, course=COURSE, level="B", base_decision=None):
    """Decide on the evidence's current version, validating (or not) competence D1.1."""
    status = "validated" if outcome == "accepted" else "not_yet"
    return api.decide(
        evidence_uuid=evidence.uuid, course_key=course, reviewer_id=reviewer.id, version=evidence.version,
        base_decision=base_decision, outcome=outcome, feedback=feedback,
        competences=[{
            "competence": framework["D1.1"], "status": status, "level": level if status == "validated" else "",
        }],
    ).decision


def reviewed_portfolio(user, reviewer, marker, framework, *, files, course=COURSE):
    """
    Record a situation asked for revision, revised and accepted, and a draft never submitted.

    Returns:
        (reviewed EvidenceData, draft EvidenceData): two decisions and two versions on the first.
    """
    evidence = record_situation(user, marker, framework, course=course, files=files)
    first = review(evidence, reviewer, framework, outcome="revision_requested", feedback=f"Retour {marker} : précisez.",
                   course=course)
    evidence = api.save_draft(
        user_id=user.id, course_key=course, usage_key=evidence.usage_key, evidence_uuid=evidence.uuid,
        data={"analysis": f"Analyse révisée {marker}."},
        expected_version=api.get_evidence(user_id=user.id, evidence_uuid=evidence.uuid).edit_version,
    )
    evidence = api.submit_evidence(user_id=user.id, evidence_uuid=evidence.uuid)
    review(evidence, reviewer, framework, outcome="accepted", feedback=f"Bravo {marker}.", course=course,
           base_decision=first.uuid)
    draft = record_situation(user, marker, framework, course=course, block="drafts", title=f"Brouillon {marker}",
                             files=[(f"notes-{marker}.txt", f"Notes {marker}\n".encode())], submit=False)
    return api.get_evidence(user_id=user.id, evidence_uuid=evidence.uuid), draft
