"""
"Save and submit" in one request (issue 15): the form's text goes with the submission, files already
uploaded to the draft are submitted with it, and a refusal writes nothing at all.

Driven through the workbench's real ``/handler/`` URLs on a real database.
"""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from competency_plugin.models import Evidence, EvidenceStatus, EvidenceVersion
from tests.factories import data_snapshot, png_bytes

FIELDS = {
    "title": "Séance de géométrie",
    "situation_type": "authentic",
    "description": "Une classe de CM2, vingt tablettes.",
    "analysis": "La consigne était trop longue.",
}

pytestmark = pytest.mark.django_db


@pytest.fixture(name="scenario")
def fixture_scenario(make_scenario):
    return make_scenario('<portfolio display_name="Mon portfolio" min_evidence="1"/>')


def test_a_new_situation_is_saved_and_submitted_in_one_request(scenario):
    status, body = scenario.post_json("submit_evidence", {"client_key": "k-new", "fields": FIELDS})
    assert status == 200, body
    assert body["evidence"]["status"] == "submitted" and body["submitted"] == 1
    stored = Evidence.objects.get()
    assert (stored.title, stored.status, stored.client_key) == (FIELDS["title"], EvidenceStatus.SUBMITTED, "k-new")
    assert EvidenceVersion.objects.get().content["title"] == FIELDS["title"]
    assert f'data-uuid="{body["evidence"]["uuid"]}"' in body["item_html"]


def test_a_draft_is_submitted_with_the_text_of_the_form_and_its_uploaded_file(scenario):
    status, body = scenario.post_json("save_evidence", {"fields": {"title": "Début"}})
    item = body["evidence"]
    status, body = scenario.upload(item["uuid"], "tableau.png", png_bytes())
    assert status == 200, body
    status, body = scenario.post_json("submit_evidence", {
        "uuid": item["uuid"], "edit_version": item["edit_version"], "fields": FIELDS,
    })
    assert status == 200, body
    version = EvidenceVersion.objects.get()
    assert version.content["analysis"] == FIELDS["analysis"]
    assert [attachment["title"] for attachment in version.content["attachments"]] == ["tableau.png"]


def test_a_refused_submission_saves_nothing(scenario):
    """A field missing for the submission: 400 naming it, and not even the text is half-saved."""
    before = data_snapshot()
    status, body = scenario.post_json("submit_evidence", {"client_key": "k-1", "fields": {"title": "Sans analyse"}})
    assert status == 400 and "analysis" in body["field_errors"]
    assert data_snapshot() == before


def test_a_stale_form_is_a_conflict_and_nothing_is_written(scenario):
    status, body = scenario.post_json("save_evidence", {"fields": FIELDS})
    item = body["evidence"]
    assert scenario.post_json("save_evidence", {
        "uuid": item["uuid"], "edit_version": 1, "fields": {"analysis": "Autre onglet."},
    })[0] == 200
    before = data_snapshot()
    status, body = scenario.post_json("submit_evidence", {
        "uuid": item["uuid"], "edit_version": 1, "fields": {"analysis": "Onglet en retard."},
    })
    assert (status, body["error"]) == (409, "conflict") and body["current"]["analysis"] == "Autre onglet."
    assert data_snapshot() == before


def test_bad_fields_are_a_400(scenario):
    before = data_snapshot()
    status, body = scenario.post_json("submit_evidence", {"fields": ["not", "an", "object"]})
    assert status == 400 and list(body["field_errors"]) == ["fields"]
    assert data_snapshot() == before


def test_one_request_costs_no_more_queries_than_a_save_and_a_submission(scenario):
    """The one request does the work of the two it replaces, and no more."""
    def measured(handler, payload):
        with CaptureQueriesContext(connection) as captured:
            status, body = scenario.post_json(handler, payload)
        assert status == 200, body
        return len(captured.captured_queries), body

    save_cost, body = measured("save_evidence", {"fields": FIELDS})
    submit_cost, _body = measured("submit_evidence", {"uuid": body["evidence"]["uuid"], "edit_version": 1})
    both_cost, _body = measured("submit_evidence", {"fields": FIELDS})
    assert both_cost <= save_cost + submit_cost


def test_the_page_gives_the_script_a_draft_key_per_block_and_learner(make_scenario):
    two = make_scenario('<portfolio display_name="Un"/>', '<portfolio display_name="Deux"/>')
    html = two.render("amina").content.decode()
    keys = [part.split('"')[0] for part in html.split('"draftKey": "')[1:]]
    assert len(keys) == 2 and keys[0] != keys[1]
    other = two.render("karim").content.decode()
    assert not set(keys) & {part.split('"')[0] for part in other.split('"draftKey": "')[1:]}
