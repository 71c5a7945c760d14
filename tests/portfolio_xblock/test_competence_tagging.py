"""Learners claim the competences a situation shows; the block refuses those outside its configuration."""
import uuid

import pytest

from competency_plugin.models import Competence, Evidence, EvidenceCompetence, Framework


def _framework(title, domains):
    """Build a small framework: {domain code: [competence codes]} with tree paths."""
    framework = Framework.objects.create(title_fr=title, title_en=title)
    nodes = {}
    for d_index, (domain, competences) in enumerate(domains.items()):
        parent = Competence.objects.create(
            framework=framework, code=domain, title_fr=f"Domaine {domain}", title_en=f"Domain {domain}",
            depth=0, path=f"{d_index:04d}",
        )
        nodes[domain] = parent
        for c_index, code in enumerate(competences):
            nodes[code] = Competence.objects.create(
                framework=framework, parent=parent, code=code, title_fr=f"Compétence {code}",
                title_en=f"Competence {code}", depth=1, path=f"{d_index:04d}.{c_index:04d}",
            )
    return framework, nodes


@pytest.fixture
def tagged(make_scenario):
    """A block collecting evidence for domain 3 of a framework; another framework exists beside it."""
    framework, nodes = _framework("Référentiel", {"3": ["3.1", "3.2"], "6": ["6.1"]})
    _other, other_nodes = _framework("Autre", {"1": ["1.1"]})
    scenario = make_scenario(
        f'<portfolio framework="{framework.identifier}" competences=\'["{nodes["3"].identifier}"]\'/>'
    )
    return scenario, nodes, other_nodes


FIELDS = {"title": "Séance", "situation_type": "authentic", "description": "Contexte", "analysis": "Analyse"}


def _claim(node, justification="Parce que"):
    return {"competence": str(node.identifier), "justification": justification}


def test_learner_view_offers_only_the_configured_domain(tagged):
    scenario, nodes, _other = tagged
    html = scenario.render().content.decode()
    assert f'value="{nodes["3.1"].identifier}"' in html
    assert f'value="{nodes["3.2"].identifier}"' in html
    assert str(nodes["6.1"].identifier) not in html
    assert 'name="competence"' in html


def test_claims_are_saved_with_justifications(tagged):
    scenario, nodes, _other = tagged
    status, body = scenario.post_json("save_evidence", {"fields": FIELDS, "claims": [_claim(nodes["3.1"])]})
    assert status == 200, body
    assert [c["code"] for c in body["evidence"]["claims"]] == ["3.1"]
    claim = EvidenceCompetence.objects.get()
    assert claim.competence == nodes["3.1"] and claim.justification == "Parce que"
    uuid_, version = body["evidence"]["uuid"], body["evidence"]["edit_version"]
    status, body = scenario.post_json(
        "save_evidence",
        {"uuid": uuid_, "edit_version": version, "fields": {}, "claims": [_claim(nodes["3.2"], "Autre raison")]},
    )
    assert status == 200, body
    claims = EvidenceCompetence.objects.values_list("competence__code", "justification")
    assert list(claims) == [("3.2", "Autre raison")]
    assert "3.2" in body["item_html"]


@pytest.mark.parametrize("pick", ["outside_domain", "other_framework", "unknown"])
def test_competence_outside_the_configuration_is_refused(tagged, pick):
    scenario, nodes, other_nodes = tagged
    competence = {
        "outside_domain": str(nodes["6.1"].identifier),
        "other_framework": str(other_nodes["1.1"].identifier),
        "unknown": str(uuid.uuid4()),
    }[pick]
    status, body = scenario.post_json(
        "save_evidence", {"fields": FIELDS, "claims": [{"competence": competence, "justification": "x"}]}
    )
    assert status == 400
    assert body["field_errors"]["competences"]
    assert Evidence.objects.count() == 0
    assert EvidenceCompetence.objects.count() == 0


def test_claims_refused_by_a_block_without_framework(make_scenario):
    _framework_obj, nodes = _framework("Référentiel", {"3": ["3.1"]})
    scenario = make_scenario("<portfolio/>")
    status, body = scenario.post_json("save_evidence", {"fields": FIELDS, "claims": [_claim(nodes["3.1"])]})
    assert status == 400 and "competences" in body["field_errors"]


@pytest.mark.parametrize("claims", [[], None])
def test_submit_requires_justified_claims(tagged, claims):
    scenario, nodes, _other = tagged
    payload = {"fields": FIELDS}
    if claims is None:
        payload["claims"] = [_claim(nodes["3.1"], "")]
    status, body = scenario.post_json("save_evidence", payload)
    assert status == 200, body
    status, body = scenario.post_json("submit_evidence", {"uuid": body["evidence"]["uuid"]})
    assert status == 400
    assert body["field_errors"]["competences"]
    assert Evidence.objects.get().status == "draft"


def test_submit_with_justified_claim(tagged):
    scenario, nodes, _other = tagged
    status, body = scenario.post_json("save_evidence", {"fields": FIELDS, "claims": [_claim(nodes["3.2"])]})
    status, body = scenario.post_json("submit_evidence", {"uuid": body["evidence"]["uuid"]})
    assert status == 200, body
    assert body["evidence"]["status"] == "submitted"


def test_malformed_claims_are_field_errors(tagged):
    scenario, _nodes, _other = tagged
    for claims in ["3.1", [1], [{"competence": None}], [{"competence": "x", "justification": 5}]]:
        status, body = scenario.post_json("save_evidence", {"fields": FIELDS, "claims": claims})
        assert status == 400, claims
        assert body["field_errors"]["competences"], claims
    assert Evidence.objects.count() == 0


def test_studio_validation_refuses_competences_of_another_framework(tagged):
    scenario, nodes, other_nodes = tagged
    block = scenario.block()
    from xblock.validation import Validation  # pylint: disable=import-outside-toplevel

    class Data:  # the values Studio would save
        display_name = "P"
        situation_types = ["authentic"]
        min_evidence = 1
        max_evidence = 5
        max_file_size_mb = 5
        max_files = 2
        shrink_photos_above_kb = 1000
        weight = 0.0  # Studio's FutureFields holds every field
        file_kinds = []
        peer_feedback, peer_count, peer_anonymous, peer_timing, peer_moderation = False, 2, True, "before_review", False
        framework = block.framework
        competences = [str(other_nodes["1.1"].identifier)]

    validation = Validation(block.scope_ids.usage_id)
    block.validate_field_data(validation, Data)
    assert not validation.empty
    Data.competences = [str(nodes["3.1"].identifier)]
    validation = Validation(block.scope_ids.usage_id)
    block.validate_field_data(validation, Data)
    assert validation.empty


def test_studio_lists_every_framework_and_tells_the_script_whose_each_competence_is(tagged):
    """The competence list of Studio's editor follows the framework picked, before saving (studio.js)."""
    scenario, nodes, other_nodes = tagged
    block = scenario.block("staff1")
    fragment = block.studio_view(None)
    html = fragment.body_html()
    for node in (nodes["3.1"], nodes["6.1"], other_nodes["1.1"]):
        assert f'value="&quot;{node.identifier}&quot;"' in html  # the editor's checkboxes hold JSON values
    framework_of = fragment.json_init_args["frameworkOf"]
    assert framework_of[str(nodes["3.1"].identifier)] == block.framework
    assert framework_of[str(other_nodes["1.1"].identifier)] == str(other_nodes["1.1"].framework.identifier)
    assert any("PortfolioStudioEdit" in resource.data for resource in fragment.resources)


def test_every_frameworks_competences_are_read_in_one_query(tagged, django_assert_num_queries):
    """Studio's list of every framework's competences costs one query, whatever the frameworks."""
    _scenario, nodes, other_nodes = tagged
    from competency_plugin import api  # pylint: disable=import-outside-toplevel

    with django_assert_num_queries(1):
        options = api.competences_by_framework()
    assert [option.code for option in options[nodes["3"].framework.identifier]] == ["3", "3.1", "3.2", "6", "6.1"]
    assert [option.code for option in options[other_nodes["1"].framework.identifier]] == ["1", "1.1"]
