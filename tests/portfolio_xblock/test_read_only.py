"""
Staff viewing as a learner ("View as specific learner") and Studio's preview see the learner's
view read-only, with a message saying why, and every write handler refuses (403) and writes
nothing. Run in the LMS-faithful runtime: masquerade binds the runtime to the learner with the
staff member as ``real_user``; the preview runtime is bound to the author, ``is_author_mode`` set.
"""
import json

import pytest
from django.test import RequestFactory
from django.utils import translation

from competency_plugin.models import Evidence, ReviewDecision
from portfolio_xblock.runtime_context import MASQUERADE, PREVIEW, masquerading_staff, read_only_reason
from tests.factories import PDF_BYTES, data_snapshot
from tests.lms_runtime.models import StudentModule
from tests.lms_runtime.runtime import get_user

MASQUERADE_MESSAGE = "You are viewing this portfolio as the learner: it is read-only."
PREVIEW_MESSAGE = "This is a preview of what learners see: it is read-only."


@pytest.fixture(name="usage")
def fixture_usage(lms):
    return lms.add('<portfolio weight="2" min_evidence="1" max_evidence="10"/>')


@pytest.fixture(name="amina_work")
def fixture_amina_work(lms, usage):
    """amina's submitted situation (with a file) and a draft: (submitted uuid, draft uuid, attachment uuid)."""
    submitted = lms.submit(usage, title="Séance soumise")
    runtime, block = lms.as_user("amina", usage)
    fields = {"title": "Brouillon", "situation_type": "training"}
    status, body = runtime.post_json(block, "save_evidence", {"fields": fields})
    assert status == 200, body
    draft = body["evidence"]["uuid"]
    status, body = runtime.upload(block, draft, "fiche.pdf", PDF_BYTES)
    assert status == 200, body
    return submitted, draft, body["evidence"]["attachments"][0]["uuid"]


def write_requests(submitted, draft, attachment):
    """One request to each write handler, each valid for amina herself."""
    return [
        ("save_evidence", {"uuid": draft, "fields": {"title": "Réécrit", "situation_type": "training"}}),
        ("save_evidence", {"fields": {"title": "Nouveau", "situation_type": "training"}}),
        ("submit_evidence", {"uuid": draft}),
        ("delete_evidence", {"uuid": draft}),
        ("add_link", {"uuid": draft, "url": "https://example.org", "title": "Lien"}),
        ("remove_attachment", {"uuid": attachment}),
        ("review_decide", {"uuid": submitted, "version": 1, "base_decision": None, "outcome": "accepted",
                           "competences": []}),
    ]


class TestMasquerade:
    """staff_ana views the course as amina."""

    @pytest.fixture(name="masquerade")
    def fixture_masquerade(self, lms, usage):
        return lms.as_user("amina", usage, real_user=get_user("staff_ana"))

    def test_the_block_sees_who_is_acting(self, lms, usage, masquerade):
        _runtime, block = masquerade
        assert block.scope_ids.user_id == get_user("amina").id  # bound to the learner, as the LMS does
        assert masquerading_staff(block) == get_user("staff_ana")
        assert read_only_reason(block) == MASQUERADE
        _runtime, own = lms.as_user("amina", usage)
        assert (masquerading_staff(own), read_only_reason(own)) == (None, None)

    def test_the_learners_view_read_only(self, masquerade, amina_work, english):  # pylint: disable=unused-argument
        runtime, block = masquerade
        html = runtime.render_student_view(block)
        assert "Séance soumise" in html and "Brouillon" in html  # amina's situations
        assert MASQUERADE_MESSAGE in html
        for control in ('data-action="new"', 'data-action="edit"', 'data-action="submit"', 'data-action="delete"',
                        'data-role="form"', 'class="cpf-review"'):
            assert control not in html
        assert '"readOnly": true' in html

    def test_the_message_is_translated(self, masquerade, amina_work):  # pylint: disable=unused-argument
        runtime, block = masquerade
        with translation.override("fr"):
            html = runtime.render_student_view(block)
        assert "Vous consultez ce portfolio en tant qu’apprenant" in html

    @pytest.mark.usefixtures("english")
    def test_every_write_is_refused_and_nothing_written(self, masquerade, amina_work):
        runtime, block = masquerade
        before = (data_snapshot(), list(ReviewDecision.objects.values()), list(StudentModule.objects.values()))
        for handler, payload in write_requests(*amina_work):
            status, body = runtime.post_json(block, handler, payload)
            assert (status, body["error"]) == (403, "read_only"), handler
            assert body["message"].startswith(MASQUERADE_MESSAGE)
        status, body = runtime.upload(block, amina_work[1], "autre.pdf", PDF_BYTES)
        assert (status, body["error"]) == (403, "read_only")
        assert (data_snapshot(), list(ReviewDecision.objects.values()), list(StudentModule.objects.values())) == before

    def test_bad_input_is_still_answered_with_a_4xx(self, masquerade):
        runtime, block = masquerade
        assert runtime.post_json(block, "save_evidence", "{not json")[0] == 403
        response = runtime.invoke_handler(block, "save_evidence", RequestFactory().get("/"))
        assert response.status_code == 405

    def test_reading_the_learners_file_is_allowed(self, masquerade, amina_work):
        runtime, block = masquerade
        response = runtime.invoke_handler(block, "download", RequestFactory().get("/"), suffix=amina_work[2])
        assert response.status_code == 200
        assert b"".join(response.streaming_content if response.streaming else [response.content]) == PDF_BYTES

    def test_no_grade_event_is_handled_while_masquerading(self, lms, masquerade):
        """The double copies the LMS: ``EventPublishingService.publish`` only tracks events then."""
        runtime, block = masquerade
        runtime.publish(block, "grade", {"value": 2.0, "max_value": 2.0})
        assert not StudentModule.objects.exists()
        assert lms.course.tracked == [(get_user("amina").id, "grade", {"value": 2.0, "max_value": 2.0})]


class TestStudioPreview:
    """An author previews the unit in Studio."""

    @pytest.fixture(name="preview")
    def fixture_preview(self, lms, usage):
        return lms.as_user("staff_author", usage, preview=True)

    def test_the_learners_view_read_only(self, preview, english):  # pylint: disable=unused-argument
        runtime, block = preview
        assert read_only_reason(block) == PREVIEW
        html = runtime.render_student_view(block)
        assert PREVIEW_MESSAGE in html
        assert "You have not recorded any situation yet." in html
        for control in ('data-action="new"', 'data-role="form"', 'class="cpf-review"'):
            assert control not in html

    @pytest.mark.usefixtures("english")
    def test_every_write_is_refused_and_nothing_written(self, preview, amina_work):
        runtime, block = preview
        before = (data_snapshot(), list(ReviewDecision.objects.values()))
        for handler, payload in write_requests(*amina_work):
            status, body = runtime.post_json(block, handler, payload)
            assert (status, body["error"]) == (403, "read_only"), handler
            assert body["message"].startswith(PREVIEW_MESSAGE)
        assert runtime.upload(block, amina_work[1], "autre.pdf", PDF_BYTES)[0] == 403
        assert (data_snapshot(), list(ReviewDecision.objects.values())) == before
        assert not Evidence.objects.filter(user_id=get_user("staff_author").id).exists()


def test_the_learner_herself_still_writes(lms, usage, english):  # pylint: disable=unused-argument
    runtime, block = lms.as_user("amina", usage)
    fields = {"title": "À moi", "situation_type": "training"}
    status, body = runtime.post_json(block, "save_evidence", {"fields": fields})
    assert status == 200, body
    assert json.loads(json.dumps(body))["message"] == "Draft saved."
