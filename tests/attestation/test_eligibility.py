"""The eligibility engine on hand-built portfolios, including the programme's own rule."""
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from competency_plugin import api
from competency_plugin.attestation.eligibility import get_course_eligibility, get_eligibility
from competency_plugin.attestation.policies import set_policy

COURSE = "course-v1:Demo+TIC+2026"
pytestmark = pytest.mark.django_db


def _framework():
    """UNESCO-like: aspects 3 and 6 with three modules each, and a four-value scale."""
    ids = {}
    competences = []
    for aspect in ("3", "6"):
        ids[aspect] = uuid.uuid4()
        competences.append(api.CompetenceSpec(identifier=ids[aspect], code=aspect, title_fr=f"Aspect {aspect}",
                                              title_en=f"Aspect {aspect}", sort_order=int(aspect)))
        for module in ("1", "2", "3"):
            code = f"{aspect}.{module}"
            ids[code] = uuid.uuid4()
            competences.append(api.CompetenceSpec(identifier=ids[code], code=code, title_fr=f"Module {code}",
                                                  parent=ids[aspect], sort_order=int(module)))
    spec = api.FrameworkSpec(
        identifier=uuid.uuid4(), title_fr="Référentiel", title_en="Framework",
        levels=[api.LevelSpec(code=c, proficient=c in ("B", "C")) for c in ("A", "B", "C")],
        competences=competences,
    )
    framework = api.save_framework(spec)
    return framework.identifier, {code: str(value) for code, value in ids.items()}


def _situation(  # pylint: disable=too-many-arguments,too-many-positional-arguments
    user, block, competence, situation_type="authentic", status="validated", outcome="accepted", level="",
    reviewer=None,
):
    """A submitted situation claiming one competence, then decided on."""
    usage = f"block-v1:Demo+TIC+2026+type@portfolio+block@{block}"
    evidence = api.save_draft(
        user_id=user.id, course_key=COURSE, usage_key=usage,
        data={"title": "Séance", "situation_type": situation_type, "description": "d", "analysis": "a"},
        claims=[{"competence": competence, "justification": "j"}],
        framework_identifier=FRAMEWORK[0], competence_identifiers=(),
    )
    api.submit_evidence(user_id=user.id, evidence_uuid=evidence.uuid)
    if outcome:
        api.decide(evidence_uuid=evidence.uuid, course_key=COURSE, reviewer_id=reviewer.id if reviewer else None,
                   version=1, base_decision=None, outcome=outcome,
                   feedback="Retravaillez" if outcome != "accepted" else "",
                   competences=[{"competence": competence, "status": status, "level": level}])
    return evidence


FRAMEWORK = [None, None]


@pytest.fixture
def framework():
    FRAMEWORK[0], FRAMEWORK[1] = _framework()
    return FRAMEWORK[1]


@pytest.fixture
def learner():
    return get_user_model().objects.create(username="amina")


def _programme_rule(ids, **options):
    """At least two validated situations in each of aspects 3 and 6, at least one of them authentic."""
    return set_policy(course_key=COURSE, framework=FRAMEWORK[0], requirements=[
        {"competence": ids["3"], "min_validated": 2, "min_authentic": 1},
        {"competence": ids["6"], "min_validated": 2, "min_authentic": 1},
    ], **options)


def test_no_policy_means_not_eligible(learner):
    report = get_eligibility(learner, COURSE, language="en")
    assert not report.has_policy and not report.eligible
    assert report.missing == ("This course has no attestation policy.",)


def test_programme_rule_met_and_missing(framework, learner):
    _programme_rule(framework)
    _situation(learner, "a", framework["3.1"])
    _situation(learner, "a", framework["3.2"], situation_type="training")
    _situation(learner, "b", framework["6.1"], situation_type="training")
    report = get_eligibility(learner, COURSE, language="en")
    assert not report.eligible
    by_key = {line.key: line for line in report.requirements}
    assert (by_key[framework["3"]].have, by_key[framework["3"]].have_authentic) == (2, 1)
    assert (by_key[framework["6"]].have, by_key[framework["6"]].have_authentic) == (1, 0)
    assert report.missing == (
        "6 Aspect 6: 1 more validated situation needed.",
        "6 Aspect 6: 1 more validated authentic situation needed.",
    )
    _situation(learner, "b", framework["6.2"])
    report = get_eligibility(learner, COURSE, language="fr")
    assert report.eligible and not report.missing
    assert report.policy_version == 1


def test_missing_in_french(framework, learner):
    _programme_rule(framework)
    report = get_eligibility(learner, COURSE, language="fr")
    assert "situations probantes" in report.missing[0]


def test_revision_requested_and_not_yet_do_not_count(framework, learner):
    set_policy(course_key=COURSE, framework=FRAMEWORK[0], requirements=[{"competence": framework["3"]}])
    _situation(learner, "a", framework["3.1"], outcome="revision_requested")
    _situation(learner, "a", framework["3.2"], status="not_yet")
    _situation(learner, "a", framework["3.3"], outcome=None)
    assert not get_eligibility(learner, COURSE).eligible


def test_validated_then_revoked_by_a_later_decision(framework, learner):
    set_policy(course_key=COURSE, framework=FRAMEWORK[0], requirements=[{"competence": framework["3"]}])
    evidence = _situation(learner, "a", framework["3.1"])
    assert get_eligibility(learner, COURSE).eligible
    latest = api.get_review_item(evidence_uuid=evidence.uuid, course_key=COURSE).latest
    api.decide(evidence_uuid=evidence.uuid, course_key=COURSE, reviewer_id=None, version=1,
               base_decision=latest.uuid, outcome="accepted",
               competences=[{"competence": framework["3.1"], "status": "not_yet"}])
    assert not get_eligibility(learner, COURSE).eligible


def test_min_level_and_overall_authentic(framework, learner):
    set_policy(course_key=COURSE, framework=FRAMEWORK[0], requirements=[{"competence": framework["3"]}],
               min_level="B", min_authentic=1)
    _situation(learner, "a", framework["3.1"], level="A")
    report = get_eligibility(learner, COURSE)
    assert not report.eligible
    _situation(learner, "a", framework["3.2"], level="C", situation_type="training")
    report = get_eligibility(learner, COURSE, language="en")
    assert [line.met for line in report.requirements] == [True, False]
    _situation(learner, "a", framework["3.3"], level="B")
    assert get_eligibility(learner, COURSE).eligible


def test_blocks_completed(framework, learner):
    other = get_user_model().objects.create(username="other")
    set_policy(course_key=COURSE, framework=FRAMEWORK[0], requirements=[{"competence": framework["3"]}],
               require_blocks_completed=True)
    _situation(learner, "a", framework["3.1"])
    _situation(other, "b", framework["6.1"], outcome=None)
    report = get_eligibility(learner, COURSE, language="en")
    assert not report.eligible and "Complete every portfolio activity of the course." in report.missing
    _situation(learner, "b", framework["6.1"], outcome=None)
    assert get_eligibility(learner, COURSE).eligible


def test_policy_changes_keep_versions(framework, learner):
    _programme_rule(framework)
    data = set_policy(course_key=COURSE, framework=FRAMEWORK[0], requirements=[{"competence": framework["3"]}])
    assert data.version == 2
    _situation(learner, "a", framework["3.1"])
    assert get_eligibility(learner, COURSE).policy_version == 2


@pytest.mark.parametrize("bad", [
    {"requirements": []},
    {"requirements": [{"competence": "nope"}]},
    {"requirements": [{"competence": str(uuid.uuid4())}]},
    {"min_level": "Z"},
    {"min_authentic": -1},
    {"requirements": "x"},
])
def test_invalid_policy_is_refused(framework, bad):
    kwargs = {"course_key": COURSE, "framework": FRAMEWORK[0], "requirements": [{"competence": framework["3"]}]}
    kwargs.update(bad)
    with pytest.raises(api.CompetencyRequestError) as error:
        set_policy(**kwargs)
    assert error.value.field_errors


def test_query_count_is_the_same_for_1_and_200_items(framework, learner):
    _programme_rule(framework)
    _situation(learner, "a", framework["3.1"])
    with CaptureQueriesContext(connection) as one:
        get_eligibility(learner, COURSE)
    for index in range(199):
        _situation(learner, f"b{index % 8}", framework["6.2" if index % 2 else "3.2"])
    with CaptureQueriesContext(connection) as many:
        report = get_eligibility(learner, COURSE)
    assert report.eligible
    assert len(one.captured_queries) == len(many.captured_queries) <= 5


def test_course_in_bulk_with_bounded_queries(framework):
    _programme_rule(framework)
    users = get_user_model().objects.bulk_create(get_user_model()(username=f"l{index:04d}") for index in range(30))
    users = list(get_user_model().objects.filter(username__startswith="l").order_by("username"))
    for user in users[:10]:
        _situation(user, "a", framework["3.1"])
        _situation(user, "a", framework["3.2"])
        _situation(user, "a", framework["6.1"])
        _situation(user, "a", framework["6.2"])
    for user in users[10:]:
        _situation(user, "a", framework["3.1"], outcome=None)
    with CaptureQueriesContext(connection) as queries:
        reports = get_course_eligibility(COURSE)
    assert len(reports) == 30
    assert sum(report.eligible for report in reports) == 10
    assert len(queries.captured_queries) <= 6
