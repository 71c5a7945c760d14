"""
Helpers of the review tests.

A framework with a scale, learners' submitted situations built through ``competency_plugin.api``,
decisions taken on them, and course staff roles.
"""
import uuid
from unittest import mock

from competency_plugin import api
from tests import factories

COURSE = "course-v1:Demo+Review+2026"
OTHER_COURSE = "course-v1:Demo+Elsewhere+2026"


def usage_key(block="situations", course=COURSE):
    """Return the usage key of the portfolio block ``block`` of ``course`` (the review tests' course by default)."""
    return factories.usage_key(course, block)


def course_staff_of(*users):
    """Patch ``compat`` so that ``users`` hold a staff role in COURSE (and nowhere else)."""
    names = {user.username for user in users}

    def is_course_staff(user, course_key):
        return bool(user.is_staff or (user.username in names and str(course_key) == COURSE))

    return mock.patch("competency_plugin.platform.compat.is_course_staff", side_effect=is_course_staff)


def make_framework(*, titles=("Concevoir", "Design"), proficient=""):
    """
    Store a framework with one domain, two competences (titled ``titles`` in French and English,
    numbered) and a three-value scale (A, B, C; the codes in ``proficient`` flagged proficient).

    Returns:
        {"framework": identifier, "D1": …, "D1.1": …, "D1.2": …} (identifiers as strings)
    """
    domain = uuid.uuid4()
    nodes = [api.CompetenceSpec(identifier=domain, code="D1", title_fr="Domaine 1", title_en="Domain 1")]
    ids = {"D1": str(domain)}
    for number in (1, 2):
        identifier = uuid.uuid4()
        ids[f"D1.{number}"] = str(identifier)
        nodes.append(api.CompetenceSpec(
            identifier=identifier, code=f"D1.{number}", title_fr=f"{titles[0]} {number}",
            title_en=f"{titles[1]} {number}", parent=domain, sort_order=number,
        ))
    levels = [
        api.LevelSpec(code=code, label_fr=f"Niveau {code}", label_en=f"Level {code}", proficient=code in proficient)
        for code in "ABC"
    ]
    spec = api.FrameworkSpec(
        identifier=uuid.uuid4(), title_fr="Référentiel", title_en="Framework", levels=levels, competences=nodes,
    )
    ids["framework"] = str(api.save_framework(spec).identifier)
    return ids


def submitted(user, framework, *, claims=("D1.1", "D1.2"), block="situations", course=COURSE, title=None):
    """Draft and submit a situation of ``user`` claiming ``claims``; return its ``EvidenceData``."""
    evidence = api.save_draft(
        user_id=user.id, course_key=course, usage_key=usage_key(block, course),
        data={
            "title": title or "Séance de géométrie",
            "situation_type": "authentic",
            "description": "Les élèves ont mesuré l’ombre d’un bâton.",
            "analysis": "La consigne était trop longue.",
        },
        claims=[{"competence": framework[code], "justification": f"J’ai conçu {code}."} for code in claims],
        framework_identifier=framework["framework"],
    )
    return api.submit_evidence(user_id=user.id, evidence_uuid=evidence.uuid)


def verdicts(framework, *codes, status="validated", level="B"):
    """Return a reviewer's competence decisions: ``status`` (and ``level``) for each code."""
    return [
        {"competence": framework[code], "status": status, "level": level if status == "validated" else ""}
        for code in codes
    ]


def decide(  # pylint: disable=too-many-arguments
    evidence, reviewer, framework, *, outcome="accepted", feedback="Très bien.", base_decision=None, version=None,
    competences=None, course=COURSE,
):
    """Take a decision on ``evidence`` (every claim validated at B unless ``competences`` says otherwise)."""
    return api.decide(
        evidence_uuid=evidence.uuid, course_key=course, reviewer_id=reviewer.id,
        version=evidence.version if version is None else version, base_decision=base_decision,
        outcome=outcome, feedback=feedback,
        competences=verdicts(framework, "D1.1", "D1.2") if competences is None else competences,
    ).decision
