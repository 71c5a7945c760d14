"""Mahara SmartEvidence ``.matrix`` files: current and older layouts, broken files, re-import in place."""
import json
import uuid

import pytest

from competency_plugin import api
from competency_plugin.frameworks.formats.mahara import MAHARA_NAMESPACE, read_mahara
from competency_plugin.models import Competence, EvidenceCompetence, Framework
from tests.factories import EvidenceFactory
from tests.frameworks.test_frameworks_save import framework_rows

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

STATUSES = [{"begun": "Prêt pour l'évaluation"}, {"incomplete": "Non atteint"},
            {"partialcomplete": "Partiellement atteint"}, {"completed": "Atteint"}]


def matrix(**changes):
    """A matrix in the current layout: flat ``standardelements``, one nested under another."""
    framework = {
        "institution": "all",
        "name": "Référentiel des enseignants",
        "description": "<p>Compétences professionnelles</p>",
        "selfassess": True,
        "evidencestatuses": STATUSES,
        "standards": [
            {"shortname": "S1", "name": "Connaître les élèves", "description": "Standard 1", "standardid": 1},
            {"shortname": "S2", "name": "Enseigner", "description": "", "standardid": 2},
        ],
        "standardelements": [
            {"shortname": "1.1", "name": "Développement des élèves", "description": "", "standardid": 1,
             "elementid": "1.1"},
            {"shortname": "2.1", "name": "Planifier", "description": "Préparer des séances", "standardid": 2,
             "elementid": "2.1"},
            {"shortname": "2.1.a", "name": "Planifier avec le numérique", "description": "", "standardid": 2,
             "elementid": "2.1.a", "parentelementid": "2.1"},
            {"shortname": "1.2", "name": "Diversité des élèves", "description": "", "standardid": 1,
             "elementid": "1.2"},
        ],
    }
    framework.update(changes)
    return json.dumps({"framework": framework}, ensure_ascii=False).encode("utf-8")


def test_current_layout_imports_standards_and_nested_elements():
    data = api.import_framework(matrix(), filename="enseignants.matrix", language="fr")
    assert data.identifier == uuid.uuid5(MAHARA_NAMESPACE, "all/Référentiel des enseignants")
    assert (data.title_fr, data.description_fr, data.levels) == (
        "Référentiel des enseignants", "<p>Compétences professionnelles</p>", ()
    )
    tree = api.get_framework_tree(data.identifier)
    assert [(top.code, top.title_fr, [child.code for child in top.children]) for top in tree.competences] == [
        ("S1", "Connaître les élèves", ["1.1", "1.2"]), ("S2", "Enseigner", ["2.1"]),
    ]
    planning = tree.competences[1].children[0]
    assert planning.description_fr == "Préparer des séances"
    assert [(child.code, child.depth) for child in planning.children] == [("2.1.a", 2)]
    extra = Framework.objects.get().extra["mahara"]
    assert extra == {"institution": "all", "selfassess": True, "evidencestatuses": STATUSES}
    assert Competence.objects.get(code="2.1.a").extra["mahara"] == {
        "standardid": 2, "elementid": "2.1.a", "parentelementid": "2.1",
    }


def test_text_is_english_unless_told():
    spec = read_mahara(matrix())
    assert spec.title_en == "Référentiel des enseignants" and spec.title_fr == "" and spec.language == "en"


def test_older_layout_with_elements_nested_in_standards():
    content = json.dumps({"framework": {
        "institution": "all", "name": "SmartEvidence", "description": "Example", "selfassess": True,
        "standards": [
            {"shortname": "Professional knowledge 1.", "name": "Know the students", "description": "", "priority": 1,
             "standardelement": [
                 {"shortname": "1.1", "name": "one point one", "description": "first", "priority": 1, "parent": False},
                 {"shortname": "1.2", "name": "one point two", "description": "second", "priority": 2, "parent": False},
             ]},
            {"shortname": "Unused standard 1.", "name": "Will add standardelements later", "description": "",
             "priority": 2},
        ],
    }})
    spec = read_mahara(content)
    assert [(node.code, node.title_en, node.parent is None, node.sort_order) for node in spec.competences] == [
        ("Professional knowledge 1.", "Know the students", True, 1),
        ("1.1", "one point one", False, 1),
        ("1.2", "one point two", False, 2),
        ("Unused standard 1.", "Will add standardelements later", True, 2),
    ]
    data = api.import_framework(content, format="mahara")
    assert data.competence_count == 4


@pytest.mark.parametrize("content, fragments", [
    (matrix()[:200], ["not valid JSON", "line 1"]),
    (b'{"framework": {"description": "no name"}}', ["no framework with a name"]),
    (matrix(standardelements=[{"shortname": "9.1", "name": "x", "standardid": 9, "elementid": "9.1"}]),
     ["standardelements[0] (9.1)", "standard 9 does not exist"]),
    (matrix(standardelements=[{"shortname": "1.1", "name": "x", "standardid": 1, "elementid": "1.1",
                               "parentelementid": "1.0"}]),
     ["standardelements[0] (1.1)", "parent element 1.0 does not exist in standard 1"]),
    (matrix(standardelements=[{"shortname": "1.1", "name": "x", "standardid": 1, "elementid": "1.1"},
                              {"shortname": "1.1 bis", "name": "y", "standardid": 1, "elementid": "1.1"}]),
     ["standardelements[1] (1.1 bis)", "element id 1.1 is used twice"]),
    (matrix(standards=[{"shortname": "S1", "name": "a", "standardid": 1},
                       {"shortname": "S1 again", "name": "b", "standardid": 1}], standardelements=[]),
     ["standards[1] (S1 again)", "standard id 1 is used twice"]),
    (matrix(standardelements=[{"shortname": "1.1", "name": "x", "standardid": 1, "elementid": "1.1",
                               "parentelementid": "1.2"},
                              {"shortname": "1.2", "name": "y", "standardid": 1, "elementid": "1.2",
                               "parentelementid": "1.1"}]),
     ["cycle", "standardelements[0] (1.1)", "standardelements[1] (1.2)"]),
])
def test_broken_files_are_refused_and_nothing_changes(content, fragments):
    api.import_framework(matrix(), format="mahara")
    before = framework_rows()
    with pytest.raises(api.CompetencyRequestError) as caught:
        api.import_framework(content, format="mahara")
    for fragment in fragments:
        assert fragment in caught.value.message
    assert framework_rows() == before


def test_reimport_updates_in_place_and_keeps_claimed_elements():
    first = api.import_framework(matrix())
    pks = dict(Competence.objects.values_list("code", "pk"))
    claim = EvidenceCompetence.objects.create(evidence=EvidenceFactory(), competence_id=pks["1.2"])
    elements = json.loads(matrix())["framework"]["standardelements"][:3]
    elements[1]["name"] = "Planifier (révisé)"
    second = api.import_framework(matrix(standardelements=elements))
    assert second.identifier == first.identifier and Framework.objects.count() == 1
    assert dict(Competence.objects.values_list("code", "pk")) == pks
    assert Competence.objects.get(code="2.1").title_en == "Planifier (révisé)"
    claim.refresh_from_db()
    assert claim.competence.extra["retired"] is True
    assert second.competence_count == 5
