"""
Two tabs on one draft: a save or a submission names the edit version it was made on; one made on
an older text is refused with 409 and the stored item, and nothing the learner typed is lost.

Driven through the API and the workbench's real ``/handler/`` URLs.
"""

import pytest
from django.db import connection

from competency_plugin import api
from competency_plugin.evidence.services import take_edit
from competency_plugin.models import Evidence, EvidenceStatus, EvidenceVersion
from tests.concurrency import race
from tests.factories import COURSE_KEY, USAGE_KEY, UserFactory, data_snapshot
from tests.portfolio_xblock.test_review_handlers import fixture_review  # noqa: F401  pylint: disable=unused-import

FIELDS = {
    "title": "Séance de géométrie",
    "situation_type": "authentic",
    "description": "Une classe de CM2, vingt tablettes.",
    "analysis": "La consigne était trop longue.",
}

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _save(learner, data, **kwargs):
    return api.save_draft(user_id=learner.id, course_key=COURSE_KEY, usage_key=USAGE_KEY, data=data, **kwargs)


@pytest.fixture(name="learner")
def fixture_learner():
    return UserFactory(username="amina")


class TestApi:
    """``save_draft`` and ``submit_evidence`` with ``expected_version``."""

    def test_each_save_gives_the_next_version(self, learner):
        first = _save(learner, FIELDS)
        assert first.edit_version == 1
        second = _save(learner, {"title": "Onglet A"}, evidence_uuid=first.uuid, expected_version=1)
        assert second.edit_version == 2 and second.title == "Onglet A"

    def test_a_save_made_on_an_older_text_is_refused_with_the_stored_item(self, learner):
        item = _save(learner, FIELDS)
        _save(learner, {"title": "Onglet A"}, evidence_uuid=item.uuid, expected_version=1)
        before = data_snapshot()
        with pytest.raises(api.CompetencyStaleEditError) as caught:
            _save(learner, {"title": "Onglet B"}, evidence_uuid=item.uuid, expected_version=1)
        assert caught.value.code == "conflict"
        assert caught.value.current["title"] == "Onglet A" and caught.value.current["edit_version"] == 2
        assert caught.value.current["analysis"] == FIELDS["analysis"]
        assert data_snapshot() == before
        # The learner keeps their text: saved again, on the version they were shown.
        kept = _save(learner, {"title": "Onglet B"}, evidence_uuid=item.uuid, expected_version=2)
        assert (kept.title, kept.edit_version) == ("Onglet B", 3)

    def test_stale_claims_are_not_written_either(self, learner):
        item = _save(learner, FIELDS)
        _save(learner, {"analysis": "A"}, evidence_uuid=item.uuid, expected_version=1)
        with pytest.raises(api.CompetencyStaleEditError):
            _save(learner, {}, evidence_uuid=item.uuid, expected_version=1, claims=[])
        assert Evidence.objects.get().analysis == "A"

    @pytest.mark.parametrize("version", [None, "1", 0, -1, True, 1.0, [1]])
    def test_an_update_must_name_a_version(self, learner, version):
        item = _save(learner, FIELDS)
        before = data_snapshot()
        with pytest.raises(api.CompetencyRequestError) as caught:
            _save(learner, {"title": "Sans version"}, evidence_uuid=item.uuid, expected_version=version)
        assert list(caught.value.field_errors) == ["edit_version"]
        assert data_snapshot() == before

    def test_a_retried_creation_does_not_overwrite_later_edits(self, learner):
        item = _save(learner, FIELDS, client_key="k-1")
        _save(learner, {"title": "Modifié ensuite"}, evidence_uuid=item.uuid, expected_version=1)
        with pytest.raises(api.CompetencyStaleEditError) as caught:
            _save(learner, FIELDS, client_key="k-1")
        assert caught.value.current["title"] == "Modifié ensuite"
        assert Evidence.objects.get().title == "Modifié ensuite"

    def test_a_retried_creation_of_an_untouched_item_still_applies(self, learner):
        item = _save(learner, FIELDS, client_key="k-2")
        again = _save(learner, {**FIELDS, "subject": "Maths"}, client_key="k-2")
        assert again.uuid == item.uuid and again.subject == "Maths"

    def test_a_creation_sent_again_as_stored_changes_nothing(self, learner):
        """Retries of a creation (its answers lost) are not edits: the third is no conflict."""
        answers = [_save(learner, FIELDS, client_key="k-3") for _ in range(3)]
        assert len({answer.uuid for answer in answers}) == 1 and Evidence.objects.count() == 1
        assert Evidence.objects.get().edit_version == 1

    def test_the_update_is_a_compare_and_set(self, learner):
        """
        Even where ``SELECT … FOR UPDATE`` locks nothing (SQLite), the write is conditional on the
        version read: a row another request changed after this one read it is not overwritten.
        """
        item = _save(learner, FIELDS)
        row = Evidence.objects.get(uuid=item.uuid)  # read by request 1
        Evidence.objects.filter(pk=row.pk).update(edit_version=2, title="Requête 2")  # request 2 commits
        with pytest.raises(api.CompetencyStaleEditError) as caught:
            take_edit(row, 1)
        assert caught.value.current["title"] == "Requête 2"
        assert Evidence.objects.get().edit_version == 2

    def test_a_stale_submission_is_refused(self, learner):
        item = _save(learner, FIELDS)
        _save(learner, {"analysis": "Changé dans l'autre onglet."}, evidence_uuid=item.uuid, expected_version=1)
        with pytest.raises(api.CompetencyStaleEditError) as caught:
            api.submit_evidence(user_id=learner.id, evidence_uuid=item.uuid, expected_version=1)
        assert caught.value.current["analysis"] == "Changé dans l'autre onglet."
        assert Evidence.objects.get().status == EvidenceStatus.DRAFT and not EvidenceVersion.objects.exists()
        done = api.submit_evidence(user_id=learner.id, evidence_uuid=item.uuid, expected_version=2)
        assert done.status == "submitted" and done.edit_version == 3


class TestHandlers:
    """The block's answers: 400 without a version, 409 with ``current`` when stale."""

    def _draft(self, scenario):
        status, body = scenario.post_json("save_evidence", {"fields": FIELDS}, student="amina")
        assert status == 200, body
        return body["evidence"]

    def test_stale_save_answers_409_with_the_stored_text(self, review):
        scenario = review.scenario
        item = self._draft(scenario)
        claim = [{"competence": str(review.nodes["3.1"]), "justification": "Onglet A"}]
        tab_a = scenario.post_json("save_evidence", {
            "uuid": item["uuid"], "edit_version": item["edit_version"], "fields": {"title": "Onglet A"},
            "claims": claim,
        }, student="amina")
        assert tab_a[0] == 200 and tab_a[1]["evidence"]["edit_version"] == 2
        before = data_snapshot()
        status, body = scenario.post_json("save_evidence", {
            "uuid": item["uuid"], "edit_version": item["edit_version"], "fields": {"title": "Onglet B"},
        }, student="amina")
        assert (status, body["error"]) == (409, "conflict")
        assert "another tab" in body["message"] and body["field_errors"] == {}
        current = body["current"]
        assert (current["title"], current["edit_version"]) == ("Onglet A", 2)
        assert [claim["justification"] for claim in current["claims"]] == ["Onglet A"]
        assert data_snapshot() == before

    def test_a_save_without_version_is_a_400(self, review):
        item = self._draft(review.scenario)
        before = data_snapshot()
        status, body = review.scenario.post_json(
            "save_evidence", {"uuid": item["uuid"], "fields": {"title": "Ancien client"}}, student="amina"
        )
        assert status == 400 and list(body["field_errors"]) == ["edit_version"]
        assert data_snapshot() == before

    def test_stale_submission_answers_409(self, review):
        scenario = review.scenario
        item = self._draft(scenario)
        assert scenario.post_json("save_evidence", {
            "uuid": item["uuid"], "edit_version": 1, "fields": {"title": "Onglet A"},
        }, student="amina")[0] == 200
        status, body = scenario.post_json(
            "submit_evidence", {"uuid": item["uuid"], "edit_version": 1}, student="amina"
        )
        assert status == 409 and body["current"]["title"] == "Onglet A"
        assert Evidence.objects.get().status == EvidenceStatus.DRAFT

    def test_the_page_gives_the_script_each_drafts_version(self, review):
        item = self._draft(review.scenario)
        html = review.scenario.render("amina").content.decode()
        assert f'"uuid": "{item["uuid"]}"' in html and '"edit_version": 1' in html
        assert 'data-action="keep-mine"' in html and 'data-action="take-saved"' in html


@pytest.mark.django_db(transaction=True)
class TestSavesAtTheSameTime:
    """Concurrent saves made on the same version, on MariaDB: exactly one wins."""

    THREADS = 5

    @pytest.fixture(autouse=True)
    def mysql_only(self):
        if connection.vendor != "mysql":
            pytest.skip("concurrent transactions need MariaDB/MySQL (COMPETENCY_TEST_DB=mysql)")

    def test_one_of_the_concurrent_saves_wins(self):
        learner = UserFactory()
        item = _save(learner, FIELDS)
        results = race(self.THREADS, lambda index: _save(
            learner, {"title": f"Onglet {index}"}, evidence_uuid=item.uuid, expected_version=1,
        ))
        won = [result for result in results if isinstance(result, api.EvidenceData)]
        lost = [result for result in results if isinstance(result, api.CompetencyStaleEditError)]
        assert len(won) == 1 and len(lost) == self.THREADS - 1, results
        stored = Evidence.objects.get(uuid=item.uuid)
        assert (stored.title, stored.edit_version) == (won[0].title, 2)
