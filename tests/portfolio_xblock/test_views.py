"""The block's views (learner, author, Studio editor), its configuration checks, OLX and page-level behaviour."""
import json
from html.parser import HTMLParser
from io import BytesIO

import pytest
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from lxml import etree
from workbench.runtime import WorkbenchRuntime

from portfolio_xblock.block import PortfolioXBlock, plain_number
from portfolio_xblock.presentation import PAGE_SIZE

FIELDS = {"title": "Séance", "situation_type": "authentic", "description": "Contexte", "analysis": "Analyse"}
CONFIGURED = (
    '<portfolio display_name="Situations de classe" prompt="Décrivez une séance &amp; analysez-la." '
    'situation_types=\'["training"]\' min_evidence="2" max_evidence="4" max_file_size_mb="3" max_files="2" '
    'file_kinds=\'["pdf", "image"]\'/>'
)


def studio_inputs(html):
    """The attributes of the number inputs of Studio's editor, by field name (with their item's data-default)."""
    found = {}
    for item in etree.HTML(html).iter("li"):
        name = item.get("data-field-name")
        number = item.find(".//input[@type='number']")
        if name and number is not None:
            found[name] = {key: number.get(key) for key in ("value", "step", "type")}
            found[name]["data-default"] = item.get("data-default")
    return found


class PageParser(HTMLParser):
    """Collects the ids of a page, the ids its attributes point at, and its forms."""

    REFERENCES = ("for", "aria-labelledby", "aria-describedby", "aria-controls")

    def __init__(self):
        super().__init__()
        self.ids = []
        self.references = []
        self.tags = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if attributes.get("id"):
            self.ids.append(attributes["id"])
        for name in self.REFERENCES:
            if attributes.get(name):
                self.references.extend(attributes[name].split())


def parse(html):
    parser = PageParser()
    parser.feed(html)
    return parser


def page(scenario, student="learner1"):
    response = scenario.render(student=student, language="en")
    assert response.status_code == 200
    return response.content.decode()


def save(scenario, student="learner1", index=0, **fields):
    status, body = scenario.post_json("save_evidence", {"fields": {**FIELDS, **fields}}, student=student, index=index)
    assert status == 200, body
    return body["evidence"]["uuid"]


class TestStudentView:
    """What learners (and anonymous visitors) see."""

    def test_anonymous_visitors_are_asked_to_sign_in(self, make_scenario):
        scenario = make_scenario(CONFIGURED)
        html = page(scenario, student="none")
        assert "Situations de classe" in html and "Décrivez une séance &amp; analysez-la." in html
        assert "Sign in to record your evidence." in html
        assert 'class="cpf-form"' not in html
        assert "My professional situations" not in html

    def test_learner_sees_the_form_and_their_situations(self, make_scenario):
        scenario = make_scenario(CONFIGURED)
        save(scenario, title="Atelier de formation", situation_type="training")
        html = page(scenario)
        parsed = parse(html)
        assert "Situations de classe" in html
        assert "Atelier de formation" in html and "Draft" in html
        assert "Submitted situations: 0 of 2 required." in html
        names = {attributes.get("name") for tag, attributes in parsed.tags if tag in ("input", "textarea")}
        assert {"title", "occurred_on", "description", "analysis", "file", "url"} <= names
        # The block accepts training situations only: no choice to make, the kind is said, and the
        # list is not headed "My professional situations".
        assert "situation_type" not in names
        assert 'data-role="fixed-kind" data-kind="training"' in html and "Kind of situation: Training situation" in html
        assert "My training situations" in html and "My professional situations" not in html
        assert "Record a training situation" in html
        (file_input,) = [attrs for tag, attrs in parsed.tags if attrs.get("type") == "file"]
        assert set(file_input["accept"].split(",")) == {".pdf", ".png", ".jpg", ".jpeg", ".gif", ".webp"}
        # The kinds of file in words; every extension on demand.
        assert "Up to 2 files of 3 MB each: PDF, images." in html
        assert "<summary>Every accepted file extension</summary>" in html and ".jpeg, " in html

    def test_learner_sees_only_their_own_situations(self, portfolio):
        save(portfolio, student="learner2", title="Situation de learner2")
        assert "Situation de learner2" not in page(portfolio, student="learner1")
        assert "Situation de learner2" in page(portfolio, student="learner2")

    def test_labels_are_the_plugins_own_in_the_learners_language(self, portfolio):
        """The block keeps no copy of the plugin's choices: a status reads as the plugin's catalog says."""
        from competency_plugin import api  # pylint: disable=import-outside-toplevel

        save(portfolio, title="Brouillon de séance")
        response = portfolio.render(student="learner1", language="fr")
        with translation.override("fr"):
            draft = str(api.EvidenceStatus.DRAFT.label)
        assert draft != "Draft" and draft in response.content.decode()

    def test_learner_text_is_escaped(self, portfolio):
        save(portfolio, title='<script>alert("x")</script>', school_level="<b>CM2</b>")
        html = page(portfolio)
        assert '<script>alert("x")</script>' not in html and "<b>CM2</b>" not in html
        assert "&lt;script&gt;" in html

    def test_no_upload_field_when_the_block_takes_no_file(self, make_scenario):
        html = page(make_scenario('<portfolio max_files="0"/>'))
        assert 'type="file"' not in html

    def test_new_situation_button_hidden_at_the_maximum(self, make_scenario):
        scenario = make_scenario('<portfolio max_evidence="1"/>')
        button = '<button type="button" class="cpf-button cpf-primary" data-action="new">'
        assert button in page(scenario)
        save(scenario)
        assert button not in page(scenario)

    def test_javascript_receives_the_editable_drafts_safely(self, portfolio):
        """Drafts reach the script through ``json_script``: a title cannot close the <script> tag."""
        draft = save(portfolio, title="</script><script>alert(1)</script>")
        submitted = save(portfolio, title="Soumise")
        assert portfolio.post_json("submit_evidence", {"uuid": submitted})[0] == 200
        html = page(portfolio)
        assert "<script>alert(1)" not in html
        block = portfolio.block()
        fragment = block.student_view()
        assert fragment.js_init_fn == "PortfolioXBlock"
        assert "</script><script>" not in json.dumps(fragment.json_init_args)
        assert fragment.json_init_args["maxFiles"] == 5 and fragment.json_init_args["messages"]["saved"]
        script_id = f"cpf-{block.scope_ids.usage_id}".replace(".", "-") + "-evidence"
        opening = f'<script id="{script_id}" type="application/json">'
        start = html.index(opening) + len(opening)
        evidence = json.loads(html[start:html.index("</script>", start)])
        assert [item["uuid"] for item in evidence] == [draft]
        assert evidence[0]["title"] == "</script><script>alert(1)</script>"

    def test_every_label_and_aria_reference_points_at_an_element(self, portfolio):
        save(portfolio)
        parsed = parse(page(portfolio))
        assert set(parsed.references) <= set(parsed.ids)

    def test_scripts_come_with_their_shared_helpers_first(self, portfolio):
        """The learner's page loads the helpers the scripts share before them, the form's and the list's."""
        scripts = [resource.data for resource in portfolio.block().student_view().resources
                   if resource.mimetype == "application/javascript"]
        defines = ("window.PortfolioHandlers = ", "window.PortfolioDrafts = ", "window.PortfolioUploads = ",
                   "window.PortfolioForm = ", "window.PortfolioFiles = ", "function PortfolioXBlock(")
        assert [next(i for i, script in enumerate(scripts) if name in script) for name in defines] == list(range(6))
        assert not any("function PortfolioReview(" in script for script in scripts)  # staff only


class TestAuthorAndStudioViews:
    """Studio shows a summary on the unit page and an editor of every field."""

    def test_author_view_summarises_the_configuration(self, make_scenario):
        block = make_scenario(CONFIGURED).block("staff1")
        html = block.runtime.render(block, "author_view").content
        assert "Situations de classe" in html
        for label, value in [
            ("Accepted situations", "Training situation"),
            ("Minimum number of situations", "2"),
            ("Maximum number of situations", "4"),
            ("Maximum file size (MB)", "3"),
            ("Maximum files per situation", "2"),
            ("Accepted file types", "PDF documents, Images"),
        ]:
            assert f"<dt>{label}</dt><dd>{value}</dd>" in html

    def test_author_view_with_every_kind_allowed(self, portfolio):
        block = portfolio.block("staff1")
        assert "<dd>All allowed by the platform</dd>" in block.runtime.render(block, "author_view").content

    def test_studio_view_edits_every_field(self, make_scenario):
        block = make_scenario(CONFIGURED).block("staff1")
        html = block.runtime.render(block, "studio_view").content
        for name in PortfolioXBlock.editable_fields:
            assert f'data-field-name="{name}"' in html, name
        assert 'value="Situations de classe"' in html
        assert "Training situation" in html and "PDF documents" in html
        assert block.studio_view(None).js_init_fn == "PortfolioStudioEdit"

    @pytest.mark.parametrize("language", ["fr", "en"])
    def test_studio_view_writes_numbers_as_a_number_input_reads_them(self, make_scenario, settings, language):
        """
        Django localizes what a template writes with ``{{ }}``: in French the mixin's template wrote
        a weight of 1.0 as ``value="1,0"``, which an ``<input type="number">`` shows as empty.
        """
        settings.USE_THOUSAND_SEPARATOR = True  # and 12345 as "12 345", which it cannot read either
        block = make_scenario('<portfolio weight="1" min_evidence="2" max_evidence="12345"/>').block("staff1")
        with translation.override(language):
            fields = studio_inputs(block.runtime.render(block, "studio_view").content)
        assert fields["weight"] == {"value": "1.0", "data-default": "0.0", "step": "any", "type": "number"}
        assert fields["min_evidence"] == {"value": "2", "data-default": "1", "step": "1", "type": "number"}
        assert fields["max_evidence"]["value"] == "12345"
        assert (fields["max_file_size_mb"]["value"], fields["max_files"]["value"]) == ("0", "5")

    @pytest.mark.parametrize("weight, shown", [(2.5, "2.5"), (0.1, "0.1"), (1e-7, "1e-07"), (None, "")])
    def test_studio_view_weights(self, portfolio, weight, shown):
        block = portfolio.block("staff1")
        block.weight = weight
        with translation.override("fr"):
            assert studio_inputs(block.runtime.render(block, "studio_view").content)["weight"]["value"] == shown

    @pytest.mark.parametrize("value, text", [(3, "3"), (2.5, "2.5"), (1e20, "1e+20"), (None, None), ("1", None),
                                             (True, None), (float("nan"), None), (float("-inf"), None)])
    def test_plain_number(self, value, text):
        assert plain_number(value) == text

    def test_studio_view_gives_its_script_the_number_messages(self, portfolio):
        block = portfolio.block("staff1")
        with translation.override("fr"):
            config = block.studio_view(None).json_init_args
        assert config["numberErrors"] == {
            "min_evidence": "Nombre minimal de situations : saisissez un nombre entier, par exemple 3.",
            "max_evidence": "Nombre maximal de situations : saisissez un nombre entier, par exemple 3.",
            "max_file_size_mb": "Taille maximale des fichiers (Mo) : saisissez un nombre entier, par exemple 3.",
            "max_files": "Nombre maximal de fichiers par situation : saisissez un nombre entier, par exemple 3.",
            "shrink_photos_above_kb": "Réduire les photos de plus de (Ko) : saisissez un nombre entier, par exemple 3.",
            "weight": "Pondération : saisissez un nombre, par exemple 1 ou 0.5.",
            "peer_count": "Pairs par situation : saisissez un nombre entier, par exemple 3.",
        }

    @pytest.mark.filterwarnings("ignore::xblock.fields.FailingEnforceTypeWarning")  # NaN for an Integer
    @pytest.mark.filterwarnings("ignore::xblock.fields.ModifyingEnforceTypeWarning")
    @pytest.mark.parametrize(
        "name", ["weight", "min_evidence", "max_evidence", "max_file_size_mb", "max_files", "shrink_photos_above_kb"]
    )
    @pytest.mark.parametrize("value", [None, float("nan")])
    def test_a_number_field_without_a_number_is_invalid(self, portfolio, name, value):
        """A block an older editor saved with null (or NaN from a crafted request) is reported in Studio."""
        block = portfolio.block("staff1")
        setattr(block, name, value)
        with translation.override("en"):
            messages = [message.text for message in block.validate().messages]
        label = block.fields[name].display_name
        assert any(text.startswith(f"{label}: enter a") for text in messages), messages

    def test_opening_the_editor_leaves_the_choices_intact(self, portfolio):
        """Studio's editor rewrites the choices it is given: it must get copies, or later checks all fail."""
        block = portfolio.block("staff1")
        for _ in range(2):
            for name in ("situation_types", "file_kinds"):
                info = block._make_field_info(name, block.fields[name])  # pylint: disable=protected-access
                assert [choice["value"] for choice in info["list_values"]][:1] in (['"authentic"'], ['"pdf"'])
        block.file_kinds = ["pdf"]
        assert block.validate(), [message.text for message in block.validate().messages]

    @pytest.mark.parametrize(
        "changes, valid",
        [
            ({}, True),
            ({"min_evidence": 0}, True),
            ({"min_evidence": 4, "max_evidence": 4}, True),
            ({"min_evidence": -1}, False),
            ({"max_evidence": 0}, False),
            ({"min_evidence": 5, "max_evidence": 4}, False),
            ({"max_file_size_mb": 0}, True),  # the platform's limit
            ({"max_file_size_mb": -1}, False),
            ({"max_files": -1}, False),
            ({"situation_types": []}, False),
            ({"situation_types": ["authentic", "imaginary"]}, False),
            ({"file_kinds": ["pdf", "exe"]}, False),
        ],
    )
    def test_validate_field_data(self, portfolio, changes, valid):
        block = portfolio.block("staff1")
        for name, value in changes.items():
            setattr(block, name, value)
        validation = block.validate()
        assert bool(validation) is valid, [message.text for message in validation.messages]
        assert all(message.type == "error" and message.text for message in validation.messages)


class TestOlx:
    """The configuration survives an export and re-import of the course (OLX)."""

    FIELDS = ("display_name", "prompt", "situation_types", "min_evidence", "max_evidence", "max_file_size_mb",
              "max_files", "file_kinds")

    @pytest.mark.django_db
    def test_round_trip(self):
        runtime = WorkbenchRuntime("staff1")
        original = runtime.get_block(runtime.parse_xml_string(CONFIGURED))
        node = etree.Element("unknown_root")
        original.add_xml_to_node(node)
        exported = etree.tostring(node)
        assert node.tag == "portfolio"
        assert json.loads(node.get("situation_types")) == ["training"]
        assert json.loads(node.get("file_kinds")) == ["pdf", "image"]

        imported = runtime.get_block(runtime.parse_xml_string(exported))
        for name in self.FIELDS:
            assert getattr(imported, name) == getattr(original, name), name
        assert imported.prompt == "Décrivez une séance & analysez-la."
        assert (imported.min_evidence, imported.max_files) == (2, 2)

    @pytest.mark.django_db
    def test_export_through_the_runtime_omits_defaults(self):
        runtime = WorkbenchRuntime("staff1")
        block = runtime.get_block(runtime.parse_xml_string('<portfolio min_evidence="3"/>'))
        out = BytesIO()
        runtime.export_to_xml(block, out)
        node = etree.fromstring(out.getvalue())
        assert node.get("min_evidence") == "3"
        assert node.get("max_evidence") is None  # unset fields keep following the defaults
        reimported = runtime.get_block(runtime.parse_xml_string(out.getvalue()))
        assert (reimported.min_evidence, reimported.max_evidence) == (3, 10)


class TestTwoBlocksOnOnePage:
    """Two blocks render side by side with their own ids and their own evidence."""

    XML = (
        '<portfolio display_name="Situation authentique" situation_types=\'["authentic"]\'/>',
        '<portfolio display_name="Situation de formation" situation_types=\'["training"]\'/>',
    )

    def test_both_render_with_unique_ids(self, make_scenario):
        scenario = make_scenario(*self.XML)
        save(scenario, index=0)
        save(scenario, index=1, situation_type="training")
        html = page(scenario)
        assert "Situation authentique" in html and "Situation de formation" in html
        parsed = parse(html)
        duplicates = {value for value in parsed.ids if parsed.ids.count(value) > 1}
        assert not duplicates
        assert set(parsed.references) <= set(parsed.ids)
        forms = [attrs for tag, attrs in parsed.tags if tag == "form" and attrs.get("class") == "cpf-form"]
        assert len(forms) == 2

    def test_evidence_saved_in_one_block_stays_there(self, make_scenario):
        scenario = make_scenario(*self.XML)
        save(scenario, index=0, title="Seulement dans le premier")
        first, second = (
            scenario.block(index=index).runtime.render(scenario.block(index=index), "student_view").content
            for index in (0, 1)
        )
        assert "Seulement dans le premier" in first
        assert "Seulement dans le premier" not in second
        assert "You have not recorded any situation yet." in second


class TestQueryCounts:
    """Rendering costs the same number of queries whatever the learner holds."""

    @staticmethod
    def queries_to_render(scenario):
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            response = scenario.render(language="en")
        assert response.status_code == 200
        return len(queries)

    def test_learner_view_with_1_and_20_items(self, make_scenario):
        scenario = make_scenario('<portfolio max_evidence="30"/>')
        first = save(scenario)
        assert scenario.upload(first, "notes.txt", b"notes")[0] == 200
        self.queries_to_render(scenario)  # warm up: the workbench creates the learner on first sight
        with_one = self.queries_to_render(scenario)
        for number in range(19):
            uuid = save(scenario, title=f"Situation {number}")
            scenario.post_json("add_link", {"uuid": uuid, "url": f"https://example.org/{number}"})
            assert scenario.upload(uuid, "notes.txt", b"notes")[0] == 200
        html = page(scenario)
        assert html.count('class="cpf-item"') == PAGE_SIZE  # the latest; older ones on demand
        assert self.queries_to_render(scenario) == with_one

    def test_anonymous_view_needs_no_evidence_query(self, portfolio, django_assert_max_num_queries):
        portfolio.render(student="none")
        with CaptureQueriesContext(connection) as queries:
            portfolio.render(student="none")
        assert not [query for query in queries if "competency_plugin_evidence" in query["sql"]]
