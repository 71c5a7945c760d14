"""
Helpers for the tests of eligibility's exposure (REST, task, events, admin).

A small framework, the programme's policy, situations validated through the API, and
bulk-created portfolios.
"""
import uuid

from django.contrib.auth import get_user_model
from django.utils import timezone
from opaque_keys.edx.keys import CourseKey

from competency_plugin import api
from competency_plugin.models import (
    Competence,
    CompetenceDecision,
    Evidence,
    EvidenceStatus,
    ReviewDecision,
)
from tests.factories import UserFactory

COURSE = "course-v1:Demo+TIC+2026"


class Framework:
    """A UNESCO-like framework stored through the API: aspects 3 and 6 with modules x.1-x.3, scale A < B < C."""

    def __init__(self):
        self.ids = {}
        competences = []
        for aspect in ("3", "6"):
            self.ids[aspect] = uuid.uuid4()
            competences.append(api.CompetenceSpec(
                identifier=self.ids[aspect], code=aspect, title_fr=f"Aspect {aspect} (fr)",
                title_en=f"Aspect {aspect} (en)", sort_order=int(aspect),
            ))
            for module in ("1", "2", "3"):
                code = f"{aspect}.{module}"
                self.ids[code] = uuid.uuid4()
                competences.append(api.CompetenceSpec(
                    identifier=self.ids[code], code=code, title_fr=f"Module {code}", title_en=f"Module {code}",
                    parent=self.ids[aspect], sort_order=int(module),
                ))
        self.identifier = uuid.uuid4()
        api.save_framework(api.FrameworkSpec(
            identifier=self.identifier, title_fr="Référentiel", title_en="Framework",
            levels=[api.LevelSpec(code=code, proficient=code != "A") for code in ("A", "B", "C")],
            competences=competences,
        ))

    def id(self, code):
        """Return the identifier (a string) of the node ``code``."""
        return str(self.ids[code])

    def row(self, code):
        """Return the ``Competence`` row of the node ``code``."""
        return Competence.objects.get(framework__identifier=self.identifier, identifier=self.ids[code])


def programme_policy(framework, course=COURSE, **options):
    """At least two validated situations in each of aspects 3 and 6, at least one of them authentic."""
    return api.set_policy(course_key=course, framework=framework.identifier, requirements=[
        {"competence": framework.id("3"), "min_validated": 2, "min_authentic": 1},
        {"competence": framework.id("6"), "min_validated": 2, "min_authentic": 1},
    ], **options)


def simple_policy(framework, course=COURSE, **options):
    """One validated situation in aspect 3."""
    return api.set_policy(course_key=course, framework=framework.identifier,
                          requirements=[{"competence": framework.id("3")}], **options)


def make_user(username, **fields):
    """Create a user account (``username``@example.com), through the one ``UserFactory``."""
    return UserFactory(username=username, **fields)


def situation(user, framework, code, *, course=COURSE, block="a", situation_type="authentic", status="validated"):
    """Record, submit and accept (``status`` on the competence ``code``) a situation, through the API."""
    usage = CourseKey.from_string(course).make_usage_key("portfolio", block)
    evidence = api.save_draft(
        user_id=user.id, course_key=course, usage_key=str(usage),
        data={"title": "Séance", "situation_type": situation_type, "description": "d", "analysis": "a"},
        claims=[{"competence": framework.id(code), "justification": "j"}],
        framework_identifier=framework.identifier, competence_identifiers=(),
    )
    api.submit_evidence(user_id=user.id, evidence_uuid=evidence.uuid)
    decide(evidence.uuid, framework, code, status=status, course=course)
    return evidence


def decide(evidence_uuid, framework, code, *, status="validated", course=COURSE):
    """Decide (accept) on the evidence's current version, against the decision in force."""
    item = api.get_review_item(evidence_uuid=evidence_uuid, course_key=course)
    return api.decide(
        evidence_uuid=evidence_uuid, course_key=course, reviewer_id=None, version=item.evidence.version,
        base_decision=item.latest.uuid if item.latest else None, outcome="accepted",
        competences=[{"competence": framework.id(code), "status": status}],
    ).decision


def bulk_portfolios(framework, count, *, course=COURSE, prefix="l", eligible_every=2):
    """
    Create ``count`` learners with rows written directly (bulk_create); return their ids.

    Every ``eligible_every``-th learner has two validated authentic situations in each of aspects
    3 and 6 (the programme's rule), the others one. Claims are left out: the engine reads the
    decisions.
    """
    course_key = CourseKey.from_string(course)
    usage = course_key.make_usage_key("portfolio", "a")
    user_model = get_user_model()
    user_model.objects.bulk_create(
        (user_model(username=f"{prefix}{index:05d}") for index in range(count)), batch_size=500,
    )
    learners = user_model.objects.filter(username__startswith=prefix).order_by("username")
    user_ids = list(learners.values_list("pk", flat=True))
    competences = [framework.row(code) for code in ("3.1", "3.2", "6.1", "6.2")]
    now = timezone.now()
    evidence = []
    for index, user_id in enumerate(user_ids):
        for competence in competences if index % eligible_every == 0 else competences[:1]:
            item = Evidence(user_id=user_id, course_key=course_key, usage_key=usage, title="Séance",
                            situation_type="authentic", status=EvidenceStatus.ACCEPTED, version=1, submitted_at=now)
            evidence.append((item, competence))
    Evidence.objects.bulk_create([item for item, _competence in evidence], batch_size=500)
    decisions = [ReviewDecision(evidence_id=item.pk, version=1, outcome="accepted") for item, _competence in evidence]
    ReviewDecision.objects.bulk_create(decisions, batch_size=500)
    CompetenceDecision.objects.bulk_create(
        (CompetenceDecision(decision_id=decision.pk, competence=competence, status="validated")
         for decision, (_item, competence) in zip(decisions, evidence)),
        batch_size=500,
    )
    return user_ids
