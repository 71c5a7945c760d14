"""
The staff review inside the block, driven through the workbench's real ``/handler/`` URLs.

Only course staff reach the queue, an item and the decision form (checked on the server, 403
otherwise, nothing written); decisions are recorded on the version read and refused with a
conflict when someone changed it meanwhile; learners read the decision in force and resubmit.
"""
import json
import re
import uuid
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from competency_plugin import api
from competency_plugin.models import (
    CompetenceDecision,
    Evidence,
    EvidenceStatus,
    EvidenceVersion,
    ReviewDecision,
)
from portfolio_xblock.runtime_context import current_learner
from tests.factories import PDF_BYTES, data_snapshot
from tests.portfolio_xblock.test_views import parse

STAFF_HANDLERS = ("review_queue", "review_item", "review_decide")
FIELDS = {
    "title": "Séance de géométrie",
    "situation_type": "authentic",
    "description": "Une classe de CM2, vingt tablettes.",
    "analysis": "La consigne était trop longue.",
}


def make_framework(levels=True):
    """A small framework (domain 3 with 3.1 and 3.2), with a two-level scale unless ``levels`` is false."""
    nodes = {code: uuid.uuid4() for code in ("3", "3.1", "3.2")}
    api.save_framework(api.FrameworkSpec(
        identifier=uuid.uuid4(),
        title_fr="Référentiel d'essai",
        title_en="Test framework",
        levels=[api.LevelSpec("A", "Débutant", "Beginner"), api.LevelSpec("B", "Confirmé", "Proficient", True)]
        if levels else [],
        competences=[
            api.CompetenceSpec(nodes["3"], code="3", title_fr="Pédagogie", title_en="Pedagogy"),
            api.CompetenceSpec(nodes["3.1"], code="3.1", title_fr="Enseignement amélioré",
                               title_en="Enhanced teaching", parent=nodes["3"]),
            api.CompetenceSpec(nodes["3.2"], code="3.2", title_fr="Résolution de problèmes",
                               title_en="Problem solving", parent=nodes["3"]),
        ],
    ))
    framework = api.list_frameworks()
    return next(item.identifier for item in framework if item.title_en == "Test framework"), nodes


class Review:
    """A scenario with portfolio blocks on a test framework, and helpers to act in it."""

    def __init__(self, scenario, nodes):
        self.scenario = scenario
        self.nodes = nodes

    def submit(self, student="amina", index=0, **fields):
        """Record and submit a situation claiming 3.1 and 3.2; return its uuid."""
        claims = [
            {"competence": str(self.nodes[code]), "justification": f"Justification de {code}"}
            for code in ("3.1", "3.2")
        ]
        status, body = self.scenario.post_json(
            "save_evidence", {"fields": {**FIELDS, **fields}, "claims": claims}, student=student, index=index
        )
        assert status == 200, body
        evidence = body["evidence"]["uuid"]
        status, body = self.scenario.post_json("submit_evidence", {"uuid": evidence}, student=student, index=index)
        assert status == 200, body
        return evidence

    def open(self, evidence, student="staff_ana", index=0, language="en"):
        """Open an item as staff; return (html, version, base decision) as the form holds them."""
        status, body = self.scenario.post_json(
            "review_item", {"uuid": evidence}, student=student, index=index, language=language
        )
        assert status == 200, body
        html = body["html"]
        version = int(re.search(r'data-version="(\d+)"', html).group(1))
        base = re.search(r'data-base-decision="([^"]*)"', html).group(1) or None
        return html, version, base

    def decision(self, evidence, version, base, outcome="accepted", feedback="", statuses=None):
        """A decision payload; ``statuses`` maps competence codes to (status, level)."""
        statuses = statuses or {"3.1": ("validated", "B"), "3.2": ("validated", "A")}
        return {
            "uuid": evidence,
            "version": version,
            "base_decision": base,
            "outcome": outcome,
            "feedback": feedback,
            "competences": [
                {"competence": str(self.nodes[code]), "status": status, "level": level}
                for code, (status, level) in statuses.items()
            ],
        }

    def decide(self, evidence, student="staff_ana", index=0, **kwargs):
        """Open the item and record a decision on what was read; return (status, body)."""
        _html, version, base = self.open(evidence, index=index)
        return self.scenario.post_json(
            "review_decide", self.decision(evidence, version, base, **kwargs), student=student, index=index
        )


@pytest.fixture(name="review")
def fixture_review(make_scenario):
    """One block collecting evidence for domain 3 of a framework with a scale."""
    framework, nodes = make_framework()
    scenario = make_scenario(
        f'<portfolio display_name="Portfolio" framework="{framework}" min_evidence="2" max_evidence="60"/>'
    )
    return Review(scenario, nodes)


def snapshot():
    """Every evidence, attachment, version and decision row, and the stored files."""
    return {
        **data_snapshot(),
        "versions": list(EvidenceVersion.objects.order_by("id").values()),
        "decisions": list(ReviewDecision.objects.order_by("id").values()),
        "competence_decisions": list(CompetenceDecision.objects.order_by("id").values()),
    }


def staff_section(html):
    """The staff's review section of a page, or '' when there is none."""
    start = html.find('<section class="cpf-review"')
    return html[start:html.index("</section>", start)] if start >= 0 else ""


class TestOnlyCourseStaffReview:
    """Every staff handler checks staff rights on the server; nobody else gets anything, nothing is written."""

    @pytest.mark.parametrize("handler", STAFF_HANDLERS)
    @pytest.mark.parametrize("student", ["none", "learner2", "amina"], ids=["anonymous", "another-learner", "owner"])
    def test_refused_with_403_and_nothing_written(self, review, handler, student):
        evidence = review.submit()
        _html, version, base = review.open(evidence)
        payload = review.decision(evidence, version, base, outcome="revision_requested", feedback="À revoir")
        before = snapshot()
        status, body = review.scenario.post_json(handler, payload, student=student)
        assert status == 403, body
        assert body["error"] == "forbidden" and body["message"]
        assert "html" not in body and FIELDS["title"] not in str(body)
        assert snapshot() == before

    @pytest.mark.parametrize("handler", STAFF_HANDLERS)
    def test_course_staff_are_served(self, review, handler):
        evidence = review.submit()
        _html, version, base = review.open(evidence)
        payload = review.decision(evidence, version, base)
        status, body = review.scenario.post_json(handler, payload, student="staff_ana")
        assert status == 200, body
        assert FIELDS["title"] in body["html"]

    @pytest.mark.parametrize("handler", STAFF_HANDLERS)
    def test_get_is_refused(self, review, handler):
        response = review.scenario.client.get(review.scenario.handler_url(handler, "staff_ana"))
        assert response.status_code == 405

    @pytest.mark.parametrize("handler", STAFF_HANDLERS)
    def test_bad_json_is_refused(self, review, handler):
        status, body = review.scenario.post_json(handler, b"{not json", student="staff_ana")
        assert (status, body["error"]) == (400, "invalid_json")

    def test_learner_page_has_no_review_section_nor_script(self, review):
        review.submit()
        for student in ("amina", "learner2"):
            html = review.scenario.render(student).content.decode()
            assert staff_section(html) == ""
            assert "function PortfolioReview" not in html  # review.js is not loaded
        fragment = review.scenario.block("amina").student_view()
        assert "review" not in fragment.json_init_args

    @pytest.mark.django_db
    @pytest.mark.parametrize(
        "attrs, global_staff, expected, queries",
        [
            ({"edx-platform.user_is_staff": True, "edx-platform.user_role": "instructor"}, False, False, 1),
            ({"edx-platform.user_is_staff": True, "edx-platform.user_role": "staff"}, True, True, 1),
            ({}, True, True, 1),
            ({}, False, False, 1),
            ({"edx-platform.user_is_staff": False, "edx-platform.user_role": "student"}, True, False, 0),
            ({"edx-platform.user_is_staff": False, "edx-platform.user_role": "student"}, False, False, 0),
        ],
        ids=["runtime-says-staff-rule-says-no", "both-say-staff", "rule-alone-says-staff", "rule-alone-says-no",
             "staff-viewing-as-a-learner", "learner"],
    )
    def test_staff_rights_come_from_the_plugins_rule(self, attrs, global_staff, expected, queries):
        """
        ``api.is_course_staff`` grants, asked once per block instance and only when read; the runtime's
        ``user_is_staff`` only withholds (a learner, or staff viewing the course as one), without a query.
        """
        account = get_user_model().objects.create_user("someone", is_staff=global_staff)
        user = mock.Mock(opt_attrs={"edx-platform.user_id": account.id, "edx-platform.username": "someone", **attrs})
        block = mock.Mock()
        block.runtime.service.return_value.get_current_user.return_value = user
        with CaptureQueriesContext(connection) as captured:
            learner = current_learner(block)
        assert len(captured) == 0, "asked only when read"
        with CaptureQueriesContext(connection) as captured:
            assert learner.is_staff is expected
            assert current_learner(block).is_staff is expected
        assert len(captured) == queries, "asked once per block instance"


class TestQueue:
    """The block's queue: its own submitted items, newest first, filtered, paginated, server-rendered."""

    def test_first_page_is_rendered_with_the_page(self, review):
        draft_status, body = review.scenario.post_json("save_evidence", {"fields": {**FIELDS, "title": "Brouillon"}})
        assert draft_status == 200, body
        first = review.submit(title="Première")
        review.submit(student="learner2", title="Seconde")
        html = review.scenario.render("staff_ana", language="en").content.decode()
        section = staff_section(html)
        assert section.index("Seconde") < section.index("Première")  # newest first
        assert "Brouillon" not in section  # drafts are never listed
        assert f'data-uuid="{first}"' in section and "amina" in section and "learner2" in section
        assert "2 situations, page 1 of 1" in section
        assert "function PortfolioReview" in html  # review.js is on the staff's page
        # after the helpers it shares with the learner's and the peers' scripts (handler_client.js)
        assert html.index("window.PortfolioHandlers = ") < html.index("function PortfolioReview")
        assert html.index("window.PortfolioHandlers = ") < html.index("function PortfolioPeer")
        parsed = parse(html)
        assert set(parsed.references) <= set(parsed.ids)
        duplicates = {value for value in parsed.ids if parsed.ids.count(value) > 1}
        assert not duplicates

    def test_filters_by_status_and_learner(self, review):
        accepted = review.submit(title="Acceptée")
        review.submit(student="learner2", title="En attente")
        assert review.decide(accepted)[0] == 200

        def listed(**filters):
            status, body = review.scenario.post_json("review_queue", filters, student="staff_ana")
            assert status == 200, body
            return body["html"]

        assert "En attente" in listed() and "Acceptée" not in listed()
        assert "Acceptée" in listed(status="accepted") and "En attente" not in listed(status="accepted")
        both = listed(status="all")
        assert "Acceptée" in both and "En attente" in both
        only_amina = listed(status="all", learner="AMI")
        assert "Acceptée" in only_amina and "En attente" not in only_amina
        assert "En attente" in listed(status="nonsense", learner=["not", "text"], page="x")  # defaults

    def test_pagination(self, review):
        for number in range(23):
            review.submit(title=f"Situation {number:02d}")
        status, body = review.scenario.post_json("review_queue", {"page": 2}, student="staff_ana")
        assert status == 200
        assert body["html"].count('class="cpf-item"') == 3
        assert "23 situations, page 2 of 2" in body["html"]
        assert "Situation 02" in body["html"] and "Situation 22" not in body["html"]
        first = staff_section(review.scenario.render("staff_ana", language="en").content.decode())
        assert first.count('class="cpf-item"') == 20 and 'data-page="2"' in first

    def test_each_block_lists_its_own_items(self, make_scenario):
        framework, nodes = make_framework()
        scenario = make_scenario(*(f'<portfolio framework="{framework}"/>',) * 2)
        review = Review(scenario, nodes)
        first = review.submit(index=0, title="Dans le premier")
        second = review.submit(index=1, title="Dans le second")
        html = scenario.render("staff_ana", language="en").content.decode()
        sections = html.split('<section class="cpf-review"')[1:]
        assert len(sections) == 2
        assert "Dans le premier" in sections[0].split("</section>")[0] and "Dans le second" not in sections[0]
        assert "Dans le second" in sections[1]
        parsed = parse(html)
        assert not {value for value in parsed.ids if parsed.ids.count(value) > 1}
        # An item is opened and decided only through its own block.
        for handler in ("review_item", "review_decide"):
            status, body = scenario.post_json(handler, {"uuid": second}, student="staff_ana", index=0)
            assert (status, body["error"]) == (404, "not_found"), handler
        assert scenario.post_json("review_item", {"uuid": first}, student="staff_ana", index=0)[0] == 200

    @pytest.mark.parametrize("evidence", ["", "not-a-uuid", "12345678-1234-1234-1234-1234567890ab"])
    def test_unknown_item(self, review, evidence):
        status, body = review.scenario.post_json("review_item", {"uuid": evidence}, student="staff_ana")
        assert (status, body["error"]) == (404, "not_found")

    def test_a_draft_is_not_opened(self, review):
        status, body = review.scenario.post_json("save_evidence", {"fields": FIELDS}, student="amina")
        assert status == 200
        status, body = review.scenario.post_json("review_item", {"uuid": body["evidence"]["uuid"]}, student="staff_ana")
        assert status == 404


class TestQueueQueryCounts:
    """The staff's page costs the same number of queries with 10 or 40 items in the queue."""

    @staticmethod
    def queries_to_render(scenario):
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            response = scenario.render("staff_ana", language="en")
        assert response.status_code == 200
        return len(queries)

    @staticmethod
    def add_submitted(review, count, start):
        for number in range(start, start + count):
            review.submit(student=f"learner{number}", title=f"Situation {number}")

    def test_staff_page_with_10_and_40_items(self, review):
        self.add_submitted(review, 10, 0)
        self.queries_to_render(review.scenario)  # warm up: the workbench creates the user on first sight
        with_ten = self.queries_to_render(review.scenario)
        self.add_submitted(review, 30, 10)
        assert Evidence.objects.filter(status=EvidenceStatus.SUBMITTED).count() == 40
        assert self.queries_to_render(review.scenario) == with_ten

    def test_queue_handler_with_10_and_40_items(self, review):
        def queries():
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                assert review.scenario.post_json("review_queue", {"status": "all"}, student="staff_ana")[0] == 200
            return len(captured)

        self.add_submitted(review, 10, 0)
        queries()
        with_ten = queries()
        self.add_submitted(review, 30, 10)
        assert queries() == with_ten

    def test_learner_page_with_1_and_5_decided_items(self, review):
        def queries():
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                assert review.scenario.render("amina", language="en").status_code == 200
            return len(captured)

        assert review.decide(review.submit(), outcome="revision_requested", feedback="Précisez")[0] == 200
        queries()
        with_one = queries()
        for _number in range(4):
            assert review.decide(review.submit(), outcome="revision_requested", feedback="Précisez")[0] == 200
        assert queries() == with_one


class TestOpeningAnItem:
    """Staff see everything the learner wrote, attached and claimed, and the history."""

    def test_everything_the_learner_wrote(self, review):
        evidence = review.submit(school_level="CM2", subject="Mathématiques", occurred_on="2026-10-05")
        assert review.scenario.post_json(
            "add_link", {"uuid": evidence, "url": "https://example.org/fiche", "title": "Fiche"}, student="amina"
        )[0] == 409  # submitted: no longer editable
        html, version, base = review.open(evidence)
        for text in (FIELDS["title"], FIELDS["description"], FIELDS["analysis"], "CM2", "Mathématiques", "amina",
                     "Justification de 3.1", "Justification de 3.2", "3.1 Enhanced teaching", "3.2 Problem solving",
                     "Version 1"):
            assert text in html, text
        assert (version, base) == (1, None)
        parsed = parse(html)
        legends = html.count("<legend>")
        assert legends == 3  # one fieldset per claimed competence, one for the whole situation
        levels = [attrs.get("value") for tag, attrs in parsed.tags if tag == "option"]
        assert levels == ["", "A", "B", "", "A", "B"]
        assert "Proficient" in html and "Beginner" in html
        ids = set(parsed.ids)
        assert all(reference in ids for reference in parsed.references if "-ri-" in reference)

    def test_no_level_select_without_a_scale(self, make_scenario):
        framework, nodes = make_framework(levels=False)
        review = Review(make_scenario(f'<portfolio framework="{framework}"/>'), nodes)
        html, _version, _base = review.open(review.submit())
        assert "<select" not in html

    def test_learner_text_is_escaped(self, review):
        evidence = review.submit(title='<script>alert("x")</script>', analysis="<b>gras</b>")
        html, _version, _base = review.open(evidence)
        assert '<script>alert("x")</script>' not in html and "<b>gras</b>" not in html
        assert "&lt;script&gt;" in html

    def test_attachments_link_to_the_checked_download(self, review):
        status, body = review.scenario.post_json("save_evidence", {"fields": FIELDS, "claims": [
            {"competence": str(review.nodes["3.1"]), "justification": "J"}]}, student="amina")
        evidence = body["evidence"]["uuid"]
        status, body = review.scenario.upload(evidence, "fiche.pdf", PDF_BYTES, student="amina")
        assert status == 200, body
        attachment = body["evidence"]["attachments"][0]["uuid"]
        assert review.scenario.post_json("submit_evidence", {"uuid": evidence}, student="amina")[0] == 200
        html, _version, _base = review.open(evidence)
        href = re.search(r'<a href="([^"]+)" download dir="auto">fiche\.pdf</a>', html).group(1)
        assert f"/download/{attachment}" in href
        response = review.scenario.client.get(href.replace("&amp;", "&"))
        assert response.status_code == 200 and response.content == PDF_BYTES


class TestStaffDownload:
    """Staff download the attachments of submitted evidence of the course; the rules for others hold."""

    @staticmethod
    def attach(review, submit=True):
        status, body = review.scenario.post_json("save_evidence", {"fields": FIELDS, "claims": [
            {"competence": str(review.nodes["3.1"]), "justification": "J"}]}, student="amina")
        evidence = body["evidence"]["uuid"]
        status, body = review.scenario.upload(evidence, "fiche.pdf", PDF_BYTES, student="amina")
        assert status == 200, body
        if submit:
            assert review.scenario.post_json("submit_evidence", {"uuid": evidence}, student="amina")[0] == 200
        return body["evidence"]["attachments"][0]["uuid"]

    @staticmethod
    def download(review, attachment, student):
        return review.scenario.client.get(review.scenario.handler_url("download", student, suffix=attachment))

    def test_staff_download_a_submitted_attachment(self, review):
        attachment = self.attach(review)
        response = self.download(review, attachment, "staff_ana")
        assert response.status_code == 200
        assert response.content == PDF_BYTES
        assert response["Content-Disposition"].startswith("attachment;")

    def test_staff_do_not_see_drafts(self, review):
        attachment = self.attach(review, submit=False)
        assert self.download(review, attachment, "staff_ana").status_code == 404
        assert self.download(review, attachment, "amina").status_code == 200

    @pytest.mark.parametrize("student, status", [("learner2", 404), ("none", 403)])
    def test_others_are_refused(self, review, student, status):
        attachment = self.attach(review)
        response = self.download(review, attachment, student)
        assert response.status_code == status
        assert PDF_BYTES not in response.content

    def test_only_within_the_course(self, review):
        attachment = self.attach(review)
        other_course = "course-v1:Other+Course+2026"
        with pytest.raises(api.CompetencyNotFoundError):
            api.open_course_attachment(attachment_uuid=attachment, course_key=other_course)
        stored = api.open_course_attachment(attachment_uuid=attachment, course_key="course-v1:workbench+portfolio+demo")
        stored.file.close()  # pylint: disable=no-member
        assert stored.attachment.title == "fiche.pdf"


class TestDecisions:
    """Decisions competence by competence, on the version read; conflicts are refused, not overwritten."""

    def test_revision_requested_then_resubmitted_then_accepted(self, review):
        evidence = review.submit()
        status, body = review.decide(
            evidence, outcome="revision_requested", feedback="Précisez la consigne donnée aux élèves.",
            statuses={"3.1": ("validated", "B"), "3.2": ("not_yet", "")},
        )
        assert status == 200, body
        assert body["message"] == "Decision recorded."
        assert "Précisez la consigne" in body["html"] and 'class="cpf-item"' not in body["queue_html"]
        decision = ReviewDecision.objects.get()
        assert (decision.version, decision.reviewer.username) == (1, "staff_ana")
        assert decision.outcome == "revision_requested"
        assert sorted(decision.competence_decisions.values_list("competence__code", "status", "level")) == [
            ("3.1", "validated", "B"), ("3.2", "not_yet", ""),
        ]
        assert Evidence.objects.get().status == EvidenceStatus.REVISION_REQUESTED

        # The learner's form is prefilled with the item, which is editable again.
        html = review.scenario.render("amina").content.decode()
        script = re.search(r'<script id="[^"]*-evidence" type="application/json">(.*?)</script>', html, re.S).group(1)
        (editable,) = json.loads(script)
        assert editable["uuid"] == evidence and editable["analysis"] == FIELDS["analysis"]
        justifications = [claim["justification"] for claim in editable["claims"]]
        assert justifications == ["Justification de 3.1", "Justification de 3.2"]
        assert f'data-action="edit" data-uuid="{evidence}"' in html
        status, body = review.scenario.post_json(
            "save_evidence", {"uuid": evidence, "edit_version": editable["edit_version"],
                              "fields": {"analysis": "Consigne réécrite en trois étapes."}},
            student="amina",
        )
        assert status == 200, body
        status, body = review.scenario.post_json("submit_evidence", {"uuid": evidence}, student="amina")
        assert status == 200, body
        assert body["evidence"]["version"] == 2
        assert list(EvidenceVersion.objects.order_by("number").values_list("number", flat=True)) == [1, 2]
        assert EvidenceVersion.objects.get(number=1).content["analysis"] == FIELDS["analysis"]

        html, version, base = review.open(evidence)
        assert (version, base) == (2, str(decision.uuid))
        assert "Consigne réécrite" in html and "Précisez la consigne" in html  # the history stays
        history = html[html.index('class="cpf-history"'):]
        assert history.index("Version 2") < history.index("No decision on this version yet.") < history.index(
            "Version 1") < history.index("by staff_ana")
        earlier = history[history.index("<details"):history.index("</details>")]  # version 1 as it was read
        assert FIELDS["analysis"] in earlier and "Justification de 3.1" in earlier
        assert "Consigne réécrite" not in earlier
        status, body = review.scenario.post_json(
            "review_decide", review.decision(evidence, version, base, feedback="Bravo."), student="staff_ana"
        )
        assert status == 200, body
        assert Evidence.objects.get().status == EvidenceStatus.ACCEPTED
        assert list(ReviewDecision.objects.order_by("id").values_list("version", "outcome")) == [
            (1, "revision_requested"), (2, "accepted"),
        ]

    def test_learner_sees_the_decision_in_force_in_french(self, review):
        evidence = review.submit()
        assert review.decide(
            evidence, outcome="revision_requested", feedback="Ajoutez une production d'élève.",
            statuses={"3.1": ("validated", "B"), "3.2": ("not_yet", "")},
        )[0] == 200
        html = review.scenario.render("amina", language="fr").content.decode()
        item = html[html.index(f'data-uuid="{evidence}"'):]
        for text in ("Ajoutez une production d'élève.", "Révision demandée", "3.1 Enseignement amélioré",
                     "Démontrée", "Confirmé", "3.2 Résolution de problèmes", "Pas encore démontrée"):
            assert text in item or text.replace("'", "&#x27;") in item, text
        other = review.scenario.render("learner2", language="fr").content.decode()
        assert "Ajoutez une production" not in other

    def test_a_second_reviewer_gets_a_conflict(self, review):
        evidence = review.submit()
        _html, version, base = review.open(evidence)
        first = review.decision(evidence, version, base, outcome="revision_requested", feedback="À revoir")
        second = review.decision(evidence, version, base, outcome="accepted")
        assert review.scenario.post_json("review_decide", first, student="staff_ana")[0] == 200
        before = snapshot()
        status, body = review.scenario.post_json("review_decide", second, student="staff_bob")
        assert (status, body["error"]) == (409, "conflict")
        assert "Another reviewer" in body["message"]
        assert snapshot() == before
        assert Evidence.objects.get().status == EvidenceStatus.REVISION_REQUESTED

    def test_a_resubmission_meanwhile_is_a_conflict(self, review):
        evidence = review.submit()
        assert review.decide(evidence, outcome="revision_requested", feedback="À revoir")[0] == 200
        _html, version, base = review.open(evidence)
        assert review.scenario.post_json("submit_evidence", {"uuid": evidence}, student="amina")[0] == 200
        before = snapshot()
        status, body = review.scenario.post_json(
            "review_decide", review.decision(evidence, version, base), student="staff_ana"
        )
        assert (status, body["error"]) == (409, "conflict")
        assert snapshot() == before

    @pytest.mark.parametrize(
        "change, field",
        [
            ({"outcome": "revision_requested", "feedback": "  "}, "feedback"),
            ({"outcome": "maybe"}, "outcome"),
            ({"feedback": 12}, "feedback"),
            ({"competences": []}, "competences"),
            ({"competences": "all"}, "competences"),
            ({"level": "Z"}, "competences"),
            ({"status": "perhaps"}, "competences"),
        ],
    )
    def test_invalid_decisions_are_refused(self, review, change, field):
        evidence = review.submit()
        _html, version, base = review.open(evidence)
        payload = review.decision(evidence, version, base)
        if "level" in change or "status" in change:
            payload["competences"][0].update(change)
        else:
            payload.update(change)
        before = snapshot()
        status, body = review.scenario.post_json("review_decide", payload, student="staff_ana")
        assert status == 400, body
        assert field in body["field_errors"] and body["message"]
        assert snapshot() == before

    def test_the_decision_in_force_prefills_the_form(self, review):
        evidence = review.submit()
        assert review.decide(evidence, statuses={"3.1": ("validated", "B"), "3.2": ("not_yet", "")})[0] == 200
        html, _version, base = review.open(evidence)
        assert base == str(ReviewDecision.objects.get().uuid)
        assert re.search(r'value="validated" checked', html) and re.search(r'value="not_yet" checked', html)
        assert '<option value="B" selected>' in html
        assert 'value="accepted" checked' in html

    def test_errors_are_translated(self, review):
        evidence = review.submit()
        _html, version, base = review.open(evidence)
        status, body = review.scenario.post_json(
            "review_decide", review.decision(evidence, version, base, outcome="revision_requested"),
            student="staff_ana", language="fr",
        )
        assert status == 400 and body["field_errors"]["feedback"][0] != "Tell the learner what to revise."
        status, body = review.scenario.post_json("review_item", {}, student="learner2", language="fr")
        assert status == 403 and body["message"] != "Only the course staff can review evidence."


def test_decision_timestamps_are_recorded(review):
    """The audit record says who decided, when, on which version."""
    evidence = review.submit()
    before = timezone.now()
    assert review.decide(evidence, feedback="Très bien")[0] == 200
    decision = ReviewDecision.objects.get()
    assert decision.created >= before and decision.reviewer.username == "staff_ana" and decision.version == 1
    assert decision.feedback == "Très bien"
