"""
Portfolios with an attestation policy, built through ``competency_plugin.api`` only.

The certificate gate, learner tab, LMS-shaped and browser tests share them.

The framework has two domains, "3 Pédagogie" and "6 Formation", each with two competences;
the programme's rule asks for two validated situations in each domain, one of them authentic.
"""
import uuid

from competency_plugin import api
from tests.factories import usage_key

COURSE = "course-v1:workbench+portfolio+demo"
OTHER_COURSE = "course-v1:workbench+other+demo"
DOMAINS = {"3": ("Pédagogie", "Pedagogy"), "6": ("Formation professionnelle", "Professional learning")}


def make_framework():
    """Save the two-domain framework; return {code: identifier} with the framework's under "framework"."""
    ids, competences = {}, []
    for position, (code, (title_fr, title_en)) in enumerate(DOMAINS.items(), start=1):
        ids[code] = str(uuid.uuid4())
        competences.append(api.CompetenceSpec(identifier=ids[code], code=code, title_fr=title_fr, title_en=title_en,
                                              sort_order=position))
        for number in (1, 2):
            child = f"{code}.{number}"
            ids[child] = str(uuid.uuid4())
            competences.append(api.CompetenceSpec(
                identifier=ids[child], code=child, title_fr=f"Compétence {child}", title_en=f"Competence {child}",
                parent=ids[code], sort_order=number,
            ))
    framework = api.save_framework(api.FrameworkSpec(
        identifier=uuid.uuid4(), title_fr="Référentiel TICE", title_en="ICT framework", competences=competences,
    ))
    ids["framework"] = str(framework.identifier)
    return ids


def set_programme_policy(ids, *, course=COURSE, certificate_gate=True):
    """Two validated situations in each domain, one of them authentic."""
    return api.set_policy(
        course_key=course, framework=ids["framework"], certificate_gate=certificate_gate,
        requirements=[{"competence": ids[code], "min_validated": 2, "min_authentic": 1} for code in DOMAINS],
    )


def record(user, ids, competence, *, course=COURSE, title=None, situation_type="authentic", submit=True,
           decision="validated"):
    """
    Record a situation claiming ``competence`` (a code); return its uuid.

    It is submitted unless ``submit`` is false; with ``decision`` ("validated", "not_yet",
    "revision" or None), a reviewer then decides on it.
    """
    evidence = api.save_draft(
        user_id=user.id, course_key=course, usage_key=usage_key(course),
        data={"title": title or f"Séance {competence}", "situation_type": situation_type,
              "description": "Déroulement de la séance.", "analysis": "Ce que j'en retiens."},
        claims=[{"competence": ids[competence], "justification": "Justification."}],
        framework_identifier=ids["framework"],
    )
    if not submit:
        return evidence.uuid
    api.submit_evidence(user_id=user.id, evidence_uuid=evidence.uuid)
    if decision is not None:
        revision = decision == "revision"
        api.decide(
            evidence_uuid=evidence.uuid, course_key=course, reviewer_id=None, version=1, base_decision=None,
            outcome="revision_requested" if revision else "accepted", feedback="Précisez." if revision else "",
            competences=[{"competence": ids[competence], "status": "not_yet" if revision else decision, "level": ""}],
        )
    return evidence.uuid


def make_eligible(user, ids, *, course=COURSE):
    """Record and validate what the programme's rule asks for, two situations per domain."""
    for competence in ("3.1", "3.2", "6.1", "6.2"):
        record(user, ids, competence, course=course)
