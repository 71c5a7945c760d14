"""
The review service end to end through ``competency_plugin.api``: submit, decide competence by
competence, ask for a revision, resubmit (version 2 frozen), accept; the audit trail; conflicts;
input errors as field errors; the queue and its filters.
"""
import pytest
from django.utils import timezone

from competency_plugin import api
from competency_plugin.models import CompetenceDecision, EvidenceVersion, ReviewDecision
from tests.factories import UserFactory
from tests.review.support import (
    COURSE,
    OTHER_COURSE,
    decide,
    make_framework,
    submitted,
    usage_key,
    verdicts,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture(name="framework")
def _framework():
    return make_framework()


@pytest.fixture(name="learner")
def _learner():
    return UserFactory(username="amina")


@pytest.fixture(name="reviewer")
def _reviewer():
    return UserFactory(username="prof-durand")


def test_latest_decisions_of_some_items(framework, learner, reviewer):
    first, second = submitted(learner, framework), submitted(learner, framework)
    decide(first, reviewer, framework, outcome="revision_requested")
    decide(second, reviewer, framework, outcome="accepted")
    assert set(api.latest_decisions(user_id=learner.id, usage_key=usage_key())) == {first.uuid, second.uuid}
    only = api.latest_decisions(user_id=learner.id, usage_key=usage_key(), evidence_uuids=[str(second.uuid)])
    assert list(only) == [second.uuid] and only[second.uuid].outcome == "accepted"
    assert api.latest_decisions(user_id=learner.id, usage_key=usage_key(), evidence_uuids=[]) == {}


def test_whole_review_cycle(framework, learner, reviewer):
    evidence = submitted(learner, framework)
    assert (evidence.status, evidence.version) == ("submitted", 1)

    # The reviewer opens it: nothing decided yet, the framework's scale offered.
    item = api.get_review_item(evidence_uuid=evidence.uuid, course_key=COURSE)
    assert item.learner == "amina" and not item.decisions
    assert [level.code for level in item.levels] == ["A", "B", "C"]

    # One competence validated at level B, the other not yet: revision asked.
    first = decide(
        evidence, reviewer, framework, outcome="revision_requested", feedback="Précisez la consigne donnée.",
        competences=verdicts(framework, "D1.1", level="B") + verdicts(framework, "D1.2", status="not_yet"),
    )
    assert first.version == 1 and first.reviewer == "prof-durand" and first.outcome == "revision_requested"
    assert {(c.competence.code, c.status, c.level) for c in first.competences} == {
        ("D1.1", "validated", "B"), ("D1.2", "not_yet", ""),
    }
    mine = api.get_evidence(user_id=learner.id, evidence_uuid=evidence.uuid)
    assert mine.status == "revision_requested"
    learner_view = api.latest_decisions(user_id=learner.id, usage_key=usage_key())
    assert learner_view[evidence.uuid].feedback == "Précisez la consigne donnée."

    # The learner revises and resubmits: version 2 is frozen beside version 1.
    api.save_draft(user_id=learner.id, course_key=COURSE, usage_key=usage_key(), evidence_uuid=evidence.uuid,
                   data={"analysis": "J’ai raccourci la consigne : trois étapes."}, expected_version=mine.edit_version)
    again = api.submit_evidence(user_id=learner.id, evidence_uuid=evidence.uuid)
    assert (again.status, again.version) == ("submitted", 2)
    versions = {row.number: row.content for row in EvidenceVersion.objects.filter(evidence__uuid=evidence.uuid)}
    assert versions[1]["analysis"] == "La consigne était trop longue."
    assert versions[2]["analysis"] == "J’ai raccourci la consigne : trois étapes."

    # Accepted on version 2, against the first decision.
    second = decide(again, reviewer, framework, outcome="accepted", feedback="", base_decision=first.uuid,
                    competences=verdicts(framework, "D1.1", "D1.2", level="C"))
    assert second.version == 2 and second.outcome == "accepted"
    assert api.get_evidence(user_id=learner.id, evidence_uuid=evidence.uuid).status == "accepted"
    assert api.count_accepted(user_id=learner.id, usage_key=usage_key()) == 1

    # The history keeps both decisions, newest first.
    history = api.get_review_item(evidence_uuid=evidence.uuid, course_key=COURSE).decisions
    assert [(d.version, d.outcome) for d in history] == [(2, "accepted"), (1, "revision_requested")]


def test_decisions_are_append_only_audit_records(framework, learner, reviewer):
    other_reviewer = UserFactory(username="prof-martin")
    evidence = submitted(learner, framework)
    before = timezone.now()
    first = decide(evidence, reviewer, framework, outcome="revision_requested", feedback="À reprendre.",
                   competences=verdicts(framework, "D1.1", "D1.2", status="not_yet"))
    second = decide(evidence, other_reviewer, framework, base_decision=first.uuid)

    rows = list(ReviewDecision.objects.filter(evidence__uuid=evidence.uuid).order_by("id"))
    assert [(row.reviewer.username, row.version, row.outcome, row.feedback) for row in rows] == [
        ("prof-durand", 1, "revision_requested", "À reprendre."),
        ("prof-martin", 1, "accepted", "Très bien."),
    ]
    assert all(before <= row.created <= timezone.now() for row in rows)
    assert [str(row.uuid) for row in rows] == [str(first.uuid), str(second.uuid)]
    # Each decision keeps what was decided on each competence, untouched by the next one.
    kept = CompetenceDecision.objects.filter(decision=rows[0]).values_list("competence__code", "status", "level")
    assert sorted(kept) == [("D1.1", "not_yet", ""), ("D1.2", "not_yet", "")]
    kept = CompetenceDecision.objects.filter(decision=rows[1]).values_list("competence__code", "status", "level")
    assert sorted(kept) == [("D1.1", "validated", "B"), ("D1.2", "validated", "B")]


def test_stale_base_decision_is_a_conflict(framework, learner, reviewer):
    evidence = submitted(learner, framework)
    decide(evidence, reviewer, framework, outcome="revision_requested", feedback="Plus de détails.")
    # A second reviewer opened the item before the first decision: their base is "no decision".
    with pytest.raises(api.CompetencyConflictError) as error:
        decide(evidence, UserFactory(), framework, base_decision=None)
    assert "Another reviewer" in str(error.value)
    assert ReviewDecision.objects.filter(evidence__uuid=evidence.uuid).count() == 1


def test_the_same_decision_sent_again_is_recorded_once(framework, learner, reviewer):
    evidence = submitted(learner, framework)
    first = decide(evidence, reviewer, framework, outcome="revision_requested", feedback="Plus de détails.")
    # The answer was lost on the way: the reviewer's browser sends the same decision again.
    again = decide(evidence, reviewer, framework, outcome="revision_requested", feedback="Plus de détails. ")
    assert again.uuid == first.uuid
    assert ReviewDecision.objects.filter(evidence__uuid=evidence.uuid).count() == 1


@pytest.mark.parametrize("change", ["outcome", "feedback", "competences"])
def test_a_different_decision_from_the_same_stale_form_is_a_conflict(framework, learner, reviewer, change):
    evidence = submitted(learner, framework)
    decide(evidence, reviewer, framework, outcome="revision_requested", feedback="Plus de détails.")
    values = {
        "outcome": "revision_requested", "feedback": "Plus de détails.",
        "competences": verdicts(framework, "D1.1", "D1.2", level="B"),
    }
    values[change] = {
        "outcome": "accepted",
        "feedback": "Autre chose.",
        "competences": verdicts(framework, "D1.1", status="not_yet") + verdicts(framework, "D1.2"),
    }[change]
    with pytest.raises(api.CompetencyConflictError) as error:
        decide(evidence, reviewer, framework, **values)
    assert "You have already decided" in str(error.value)
    assert ReviewDecision.objects.filter(evidence__uuid=evidence.uuid).count() == 1


def test_base_decision_given_when_there_is_none_is_a_conflict(framework, learner, reviewer):
    evidence = submitted(learner, framework)
    with pytest.raises(api.CompetencyConflictError):
        decide(evidence, reviewer, framework, base_decision="7f1bd1f4-30f5-4a53-8d4f-3e4bd0b6b1f0")
    assert not ReviewDecision.objects.exists()


def test_stale_version_is_a_conflict(framework, learner, reviewer):
    evidence = submitted(learner, framework)
    first = decide(evidence, reviewer, framework, outcome="revision_requested", feedback="Reprenez l’analyse.")
    api.submit_evidence(user_id=learner.id, evidence_uuid=evidence.uuid)
    # The reviewer still has version 1 open.
    with pytest.raises(api.CompetencyConflictError) as error:
        decide(evidence, reviewer, framework, version=1, base_decision=first.uuid)
    assert "changed this evidence" in str(error.value)
    assert ReviewDecision.objects.filter(evidence__uuid=evidence.uuid).count() == 1


def test_a_reviewer_may_revise_a_decision_while_the_learner_edits(framework, learner, reviewer):
    evidence = submitted(learner, framework)
    first = decide(evidence, reviewer, framework, outcome="revision_requested", feedback="Reprenez.")
    # The learner edits without resubmitting: version 1 is still the one under review.
    mine = api.get_evidence(user_id=learner.id, evidence_uuid=evidence.uuid)
    api.save_draft(user_id=learner.id, course_key=COURSE, usage_key=usage_key(), evidence_uuid=evidence.uuid,
                   data={"title": "Séance revue"}, expected_version=mine.edit_version)
    second = decide(evidence, reviewer, framework, outcome="revision_requested", feedback="Précisez aussi la date.",
                    base_decision=first.uuid)
    assert second.version == 1
    # Accepting would lock version 1 in over what the learner has started rewriting: not without them.
    with pytest.raises(api.CompetencyConflictError):
        decide(evidence, reviewer, framework, base_decision=second.uuid)


@pytest.mark.parametrize("changes, field", [
    ({"outcome": "maybe"}, "outcome"),
    ({"outcome": "revision_requested", "feedback": "   "}, "feedback"),
    ({"feedback": "x" * 10001}, "feedback"),
    ({"feedback": "nul\x00"}, "feedback"),
    ({"competences": "D1.1"}, "competences"),
    ({"competences": [{"status": "validated"}]}, "competences"),
    ({"competences": "missing-one"}, "competences"),
    ({"competences": "not-claimed"}, "competences"),
    ({"competences": "bad-status"}, "competences"),
    ({"competences": "level-off-scale"}, "competences"),
    ({"competences": "level-not-text"}, "competences"),
])
def test_invalid_decisions_are_field_errors(framework, learner, reviewer, changes, field):
    evidence = submitted(learner, framework, claims=("D1.1",))
    wrong = {
        "missing-one": [],
        "not-claimed": verdicts(framework, "D1.1", "D1.2"),
        "bad-status": [{"competence": framework["D1.1"], "status": "great", "level": ""}],
        "level-off-scale": [{"competence": framework["D1.1"], "status": "validated", "level": "Z"}],
        "level-not-text": [{"competence": framework["D1.1"], "status": "validated", "level": 3}],
    }
    arguments = {"outcome": "accepted", "feedback": "", "competences": verdicts(framework, "D1.1")}
    arguments.update(changes)
    if isinstance(arguments["competences"], str) and arguments["competences"] in wrong:
        arguments["competences"] = wrong[arguments["competences"]]
    with pytest.raises(api.CompetencyRequestError) as error:
        decide(evidence, reviewer, framework, **arguments)
    # The field, and for one competence's decision also its own field (``competences.<index>.<field>``).
    assert field in error.value.field_errors
    assert all(key == field or key.startswith(field + ".") for key in error.value.field_errors)
    assert error.value.field_errors[field][0]
    assert not ReviewDecision.objects.exists()
    assert api.get_evidence(user_id=learner.id, evidence_uuid=evidence.uuid).status == "submitted"


def test_every_decision_error_comes_at_once_each_under_its_field(framework, learner, reviewer):
    evidence = submitted(learner, framework, claims=("D1.1", "D1.2"))
    with pytest.raises(api.CompetencyRequestError) as error:
        decide(evidence, reviewer, framework, outcome="revision_requested", feedback=" ", competences=[
            {"competence": framework["D1.1"], "status": "", "level": ""},
            {"competence": framework["D1.2"], "status": "validated", "level": "Z"},
        ])
    errors = error.value.field_errors
    assert set(errors) == {"feedback", "competences", "competences.0.status", "competences.1.level"}
    assert errors["competences"] == [
        "Choose validated or not yet demonstrated for each competence.",
        "The level chosen is not on the framework's scale.",
    ]
    assert error.value.message == "Some fields are not valid."
    # One field at fault: its message is the error's.
    with pytest.raises(api.CompetencyRequestError) as error:
        decide(evidence, reviewer, framework, outcome="maybe", competences=verdicts(framework, "D1.1", "D1.2"))
    assert (list(error.value.field_errors), error.value.message) == (
        ["outcome"], "Choose to accept the evidence or to ask for a revision.")
    # Nothing was recorded.
    assert not api.get_review_item(evidence_uuid=evidence.uuid, course_key=COURSE).decisions


def test_levels_must_be_on_the_scale_of_the_competence_framework(framework, learner, reviewer):
    # A level code of another framework's scale is refused too.
    other = make_framework()
    api.save_framework(api.FrameworkSpec(
        identifier=other["framework"], title_fr="Autre", title_en="Other",
        levels=[api.LevelSpec(code="Expert", label_fr="Expert", label_en="Expert")],
        competences=[api.CompetenceSpec(identifier=other["D1"], code="D1", title_fr="D", title_en="D")],
    ))
    evidence = submitted(learner, framework, claims=("D1.1",))
    with pytest.raises(api.CompetencyRequestError):
        decide(evidence, reviewer, framework,
               competences=[{"competence": framework["D1.1"], "status": "validated", "level": "Expert"}])
    # A level is optional, and dropped when the competence is not validated.
    decision = decide(evidence, reviewer, framework,
                      competences=[{"competence": framework["D1.1"], "status": "not_yet", "level": "C"}])
    assert decision.competences[0].level == ""


def test_drafts_and_other_courses_are_not_reviewable(framework, learner, reviewer):
    draft = api.save_draft(user_id=learner.id, course_key=COURSE, usage_key=usage_key(), data={"title": "Brouillon"})
    with pytest.raises(api.CompetencyNotFoundError):
        api.get_review_item(evidence_uuid=draft.uuid, course_key=COURSE)
    evidence = submitted(learner, framework)
    with pytest.raises(api.CompetencyNotFoundError):
        api.get_review_item(evidence_uuid=evidence.uuid, course_key=OTHER_COURSE)
    with pytest.raises(api.CompetencyNotFoundError):
        decide(evidence, reviewer, framework, course=OTHER_COURSE)
    with pytest.raises(api.CompetencyNotFoundError):
        api.get_review_item(evidence_uuid="not-a-uuid", course_key=COURSE)


def test_queue_filters_and_pages(framework, reviewer):
    amina, bruno = UserFactory(username="amina"), UserFactory(username="bruno")
    first = submitted(amina, framework, title="Première")
    submitted(bruno, framework, title="Deuxième", block="other")
    third = submitted(amina, framework, title="Troisième")
    decide(third, reviewer, framework)
    submitted(bruno, framework, course=OTHER_COURSE)
    api.save_draft(user_id=amina.id, course_key=COURSE, usage_key=usage_key(), data={"title": "Brouillon"})

    waiting = api.review_queue(course_key=COURSE)
    assert [item.title for item in waiting.items] == ["Deuxième", "Première"]
    assert (waiting.count, waiting.page, waiting.pages) == (2, 1, 1)
    every = api.review_queue(course_key=COURSE, statuses=api.REVIEWABLE_STATUSES)
    assert [item.title for item in every.items] == ["Troisième", "Deuxième", "Première"]
    assert [item.title for item in api.review_queue(course_key=COURSE, learner="AMI").items] == ["Première"]
    block = api.review_queue(course_key=COURSE, usage_key=usage_key("other"))
    assert [item.title for item in block.items] == ["Deuxième"]
    page = api.review_queue(course_key=COURSE, statuses=api.REVIEWABLE_STATUSES, page=2, page_size=2)
    assert ([item.title for item in page.items], page.page, page.pages) == (["Première"], 2, 2)
    assert api.review_queue(course_key=COURSE, page=99).page == 1
    assert first.uuid in {item.uuid for item in waiting.items}
    assert api.review_blocks(course_key=COURSE) == [(usage_key("other"), "other"), (usage_key(), "situations")]


def test_one_call_gives_what_a_decision_handler_needs(framework, learner, reviewer):
    """``decide`` answers with the decision, its learner, the block's accepted counts and the item reloaded."""
    decide(submitted(learner, framework), reviewer, framework, outcome="accepted")
    evidence = submitted(learner, framework)
    result = api.decide(
        evidence_uuid=evidence.uuid, course_key=COURSE, usage_key=usage_key(), reviewer_id=reviewer.id,
        version=1, base_decision=None, outcome="accepted", feedback="",
        competences=verdicts(framework, "D1.1", "D1.2"),
    )
    assert isinstance(result, api.DecisionResult)
    assert (result.learner_id, result.accepted_before, result.accepted_after) == (learner.id, 1, 2)
    assert result.decision.outcome == "accepted"
    assert result.review.latest == result.decision and result.review.evidence.status == "accepted"
    # The same decision sent again (an answer lost) is recorded once and changes no count.
    again = api.decide(
        evidence_uuid=evidence.uuid, course_key=COURSE, usage_key=usage_key(), reviewer_id=reviewer.id,
        version=1, base_decision=None, outcome="accepted", feedback="",
        competences=verdicts(framework, "D1.1", "D1.2"),
    )
    assert again.decision == result.decision and (again.accepted_before, again.accepted_after) == (2, 2)


def test_a_block_decides_only_on_its_own_items(framework, learner, reviewer):
    evidence = submitted(learner, framework, block="elsewhere")
    with pytest.raises(api.CompetencyNotFoundError):
        api.decide(
            evidence_uuid=evidence.uuid, course_key=COURSE, usage_key=usage_key(), reviewer_id=reviewer.id,
            version=1, base_decision=None, outcome="accepted", competences=verdicts(framework, "D1.1", "D1.2"),
        )
    assert not ReviewDecision.objects.exists()
