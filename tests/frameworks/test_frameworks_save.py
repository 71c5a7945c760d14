"""
save_framework and the framework selectors: validation naming the item at fault, atomic writes,
tree layout, upsert by identifier on re-import, retired nodes kept for learners' claims.

The helpers at the top (``framework_rows``, ``normalized``, ``FIXTURES``) are shared by the
format and command tests.
"""
import dataclasses
import json
import uuid
from collections import defaultdict
from pathlib import Path
from unittest import mock

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from competency_plugin import api
from competency_plugin.models import Competence, CompetenceAssociation, EvidenceCompetence, Framework, ProficiencyLevel
from tests.factories import EvidenceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

# Real-world files written by other projects, kept in the repository (see tests/fixtures/README.md).
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def fixture_bytes(relative):
    """Return the bytes of a test vector of ``tests/fixtures`` (a missing file fails the test)."""
    return (FIXTURES / relative).read_bytes()


def framework_rows():
    """Every row of the framework tables, to compare before and after a failed write."""
    return {
        "frameworks": list(Framework.objects.order_by("id").values()),
        "levels": list(ProficiencyLevel.objects.order_by("id").values()),
        "competences": list(Competence.objects.order_by("id").values()),
        "associations": list(CompetenceAssociation.objects.order_by("id").values()),
    }


def normalized(spec):
    """
    A spec as comparable data: identifiers as text, nodes and associations sorted by identifier,
    ``sort_order`` replaced by the rank among siblings, ``source_ref`` and ``builtin`` left out.
    """
    data = dataclasses.asdict(spec)
    data.pop("builtin")
    data["identifier"] = str(data["identifier"])
    groups = defaultdict(list)
    for index, item in enumerate(data["competences"]):
        item.pop("source_ref")
        item["identifier"] = str(item["identifier"])
        item["parent"] = str(item["parent"]) if item["parent"] else None
        groups[item["parent"]].append(((item["sort_order"], index), item))
    for group in groups.values():
        for rank, (_key, item) in enumerate(sorted(group, key=lambda pair: pair[0]), start=1):
            item["sort_order"] = rank
    data["competences"].sort(key=lambda item: item["identifier"])
    for association in data["associations"]:
        association["identifier"] = str(association["identifier"])
    data["associations"].sort(key=lambda association: association["identifier"])
    return data


def node(identifier, title, parent=None, sort_order=0, **fields):
    """A CompetenceSpec with an English title."""
    return api.CompetenceSpec(identifier=identifier, title_en=title, parent=parent, sort_order=sort_order, **fields)


FRAMEWORK_ID = uuid.UUID("11111111-2222-4333-8444-555555555555")
A, A1, A2, B, B1 = (uuid.uuid5(FRAMEWORK_ID, name) for name in ("a", "a1", "a2", "b", "b1"))


def sample_spec(**changes):
    """A two-domain framework, children listed before their parents and out of order."""
    spec = api.FrameworkSpec(
        identifier=FRAMEWORK_ID,
        title_fr="Référentiel d'essai",
        title_en="Test framework",
        version="1",
        levels=[
            api.LevelSpec("N", label_fr="Novice", label_en="Novice"),
            api.LevelSpec("C", label_fr="Compétent", label_en="Competent", proficient=True),
        ],
        competences=[
            node(A2, "Second of A", A, sort_order=2, code="A.2"),
            node(B1, "Only child of B", B, code="B.1", extra={"note": "kept"}),
            node(A1, "First of A", A, sort_order=1, code="A.1", source_ref="line 3"),
            node(B, "Domain B", sort_order=2, code="B"),
            node(A, "Domain A", sort_order=1, code="A", title_fr="Domaine A"),
        ],
        associations=[api.AssociationSpec(uuid.uuid5(FRAMEWORK_ID, "peer"), "isPeerOf", str(A1), str(B1))],
    )
    return dataclasses.replace(spec, **changes)


def test_save_creates_the_tree_in_reading_order():
    data = api.save_framework(sample_spec())
    assert isinstance(data, api.FrameworkData)
    assert (data.identifier, data.title_fr, data.competence_count) == (FRAMEWORK_ID, "Référentiel d'essai", 5)
    assert [(level.code, level.order, level.proficient) for level in data.levels] == [("N", 1, False), ("C", 2, True)]
    rows = Competence.objects.filter(framework__identifier=FRAMEWORK_ID).order_by("path")
    assert [(row.code, row.depth, row.sort_order, row.path) for row in rows] == [
        ("A", 0, 1, "0001"),
        ("A.1", 1, 1, "0001.0001"),
        ("A.2", 1, 2, "0001.0002"),
        ("B", 0, 2, "0002"),
        ("B.1", 1, 1, "0002.0001"),
    ]
    assert Competence.objects.get(identifier=A1).parent.identifier == A
    assert Competence.objects.get(identifier=B1).extra == {"note": "kept"}
    association = CompetenceAssociation.objects.get()
    assert (association.association_type, association.origin, association.destination) == ("isPeerOf", str(A1), str(B1))


def test_siblings_without_sort_order_keep_their_list_order():
    spec = sample_spec(competences=[node(B, "b"), node(A, "a"), node(A2, "a2", A), node(A1, "a1", A)], associations=[])
    api.save_framework(spec)
    assert list(Competence.objects.order_by("path").values_list("title_en", flat=True)) == ["b", "a", "a2", "a1"]


def test_selectors_return_plain_data():
    api.save_framework(sample_spec())
    [summary] = api.list_frameworks()
    assert summary == api.get_framework_data(str(FRAMEWORK_ID))
    assert summary.competences == ()
    assert summary.title("fr") == "Référentiel d'essai" and summary.title("en") == "Test framework"
    tree = api.get_framework_tree(FRAMEWORK_ID)
    assert [(top.code, [child.code for child in top.children]) for top in tree.competences] == [
        ("A", ["A.1", "A.2"]), ("B", ["B.1"]),
    ]
    domain_a = tree.competences[0]
    assert (domain_a.title("fr"), domain_a.title("en"), domain_a.children[0].title("fr")) == (
        "Domaine A", "Domain A", "First of A"
    )
    assert domain_a.children[0].parent == A and domain_a.parent is None
    encoded = json.loads(json.dumps(tree.to_dict()))
    assert encoded["competences"][1]["children"][0]["identifier"] == str(B1)
    assert encoded["levels"][1] == {"code": "C", "label_fr": "Compétent", "label_en": "Competent", "order": 2,
                                    "proficient": True}


def test_unknown_framework_is_not_found():
    for identifier in (uuid.uuid4(), "not-a-uuid"):
        with pytest.raises(api.CompetencyNotFoundError):
            api.get_framework_tree(identifier)
        with pytest.raises(api.CompetencyNotFoundError):
            api.framework_to_spec(identifier)
        with pytest.raises(api.CompetencyNotFoundError):
            api.get_framework_data(identifier)


def test_framework_to_spec_reads_back_what_was_saved():
    spec = sample_spec()
    api.save_framework(spec)
    assert normalized(api.framework_to_spec(FRAMEWORK_ID)) == normalized(spec)


def test_string_identifiers_are_accepted():
    spec = sample_spec(
        identifier=str(FRAMEWORK_ID).upper(),
        competences=[node(str(A), "a"), node(str(A1).upper(), "a1", parent=str(A))],
        associations=[],
    )
    api.save_framework(spec)
    assert Competence.objects.get(identifier=A1).parent.identifier == A


def _broken(competences=None, **changes):
    if competences is not None:
        changes["competences"] = competences
    return sample_spec(associations=[], **changes)


@pytest.mark.parametrize("spec, field, fragments", [
    (_broken([node(A, "a", source_ref="CFItems[0] (identifier x)"), node(A, "again", source_ref="CFItems[4]")]),
     "competences", ["CFItems[4]", "used twice", "CFItems[0] (identifier x)"]),
    (_broken([node(A, "a"), node(A1, "orphan", parent=B, source_ref="line 12 (ID number X)")]),
     "competences", ["line 12 (ID number X)", str(B), "not in the framework"]),
    (_broken([node(A, "a", parent=A2, source_ref="CFItems[0]"), node(A1, "b", parent=A, source_ref="CFItems[1]"),
              node(A2, "c", parent=A1, source_ref="CFItems[2]"), node(B, "root")]),
     "competences", ["cycle", "CFItems[0]", "CFItems[1]", "CFItems[2]"]),
    (_broken([node(A, "a", parent=A, source_ref="CFItems[7]")]), "competences", ["CFItems[7]", "own parent"]),
    (_broken([node(A, "  ", source_ref="line 4")]), "competences", ["line 4", "title is empty"]),
    (_broken([node(A, "a", code="x" * 101, source_ref="line 5")]), "competences", ["line 5", "code", "100"]),
    (_broken([node("not-a-uuid", "a", source_ref="line 6")]), "competences", ["line 6", "not-a-uuid"]),
    (_broken(title_fr="", title_en=" "), "title", ["no title"]),
    (_broken(levels=[api.LevelSpec("A1"), api.LevelSpec("A1")]), "levels", ["A1", "twice"]),
    (_broken(levels=[api.LevelSpec("")]), "levels", ["code is empty"]),
    (_broken(version="v" * 51), "version", ["version", "50"]),
    (sample_spec(associations=[api.AssociationSpec(A, "isPeerOf", str(A1), "x"),
                               api.AssociationSpec(A, "precedes", str(A1), "y")]),
     "associations", ["association 2", "used twice"]),
    (sample_spec(associations=[api.AssociationSpec(A, "isPeerOf", str(A1), "")]),
     "associations", ["association 1", "destination"]),
])
def test_invalid_specs_are_refused_naming_the_item_and_nothing_is_written(spec, field, fragments):
    api.save_framework(sample_spec(identifier=uuid.uuid4(), title_en="Other framework"))
    before = framework_rows()
    with pytest.raises(api.CompetencyRequestError) as caught:
        api.save_framework(spec)
    for fragment in fragments:
        assert fragment in caught.value.message
    assert list(caught.value.field_errors) == [field]
    assert framework_rows() == before


def test_a_tree_too_deep_for_the_path_is_refused():
    chain = [node(uuid.uuid5(FRAMEWORK_ID, str(depth)), f"level {depth}",
                  parent=uuid.uuid5(FRAMEWORK_ID, str(depth - 1)) if depth else None, source_ref=f"line {depth + 2}")
             for depth in range(52)]
    with pytest.raises(api.CompetencyRequestError, match=r"line 53: the tree is nested too deeply \(52 levels\)"):
        api.save_framework(_broken(chain))
    assert not Framework.objects.exists()
    api.save_framework(_broken(chain[:51]))
    assert len(Competence.objects.order_by("-depth").first().path) == 51 * 5 - 1


def test_a_database_failure_changes_nothing():
    api.save_framework(sample_spec())
    before = framework_rows()
    changed = sample_spec(title_en="Changed", competences=[node(A, "Changed A"), node(B, "New B")])
    with mock.patch("competency_plugin.frameworks.writer._save_associations", side_effect=DatabaseError("boom")):
        with pytest.raises(api.CompetencyInternalError):
            api.save_framework(changed)
    assert framework_rows() == before


def test_reimport_updates_in_place():
    api.save_framework(sample_spec())
    pks = dict(Competence.objects.values_list("identifier", "pk"))
    framework_pk = Framework.objects.get().pk
    changed = sample_spec(
        title_en="Test framework, second edition",
        levels=[
            api.LevelSpec("C", label_en="Competent, revised", proficient=True), api.LevelSpec("E", label_en="Expert"),
        ],
        competences=[
            node(B, "Domain B", sort_order=1),
            node(A, "Domain A renamed", sort_order=2),
            node(A1, "First of A", A),
            node(B1, "Moved under A", A),
            node(A2, "Moved under B", B),
        ],
        associations=[api.AssociationSpec(uuid.uuid5(FRAMEWORK_ID, "peer"), "precedes", str(B), str(A))],
    )
    api.save_framework(changed)
    assert Framework.objects.get().pk == framework_pk and Framework.objects.get().title_en.endswith("second edition")
    assert dict(Competence.objects.values_list("identifier", "pk")) == pks
    assert Competence.objects.get(identifier=A).title_en == "Domain A renamed"
    assert [(row.identifier, row.path) for row in Competence.objects.order_by("path")] == [
        (B, "0001"), (A2, "0001.0001"), (A, "0002"), (A1, "0002.0001"), (B1, "0002.0002"),
    ]
    assert list(ProficiencyLevel.objects.order_by("order").values_list("code", "label_en", "order")) == [
        ("C", "Competent, revised", 1), ("E", "Expert", 2),
    ]
    assert list(CompetenceAssociation.objects.values_list("association_type", "origin")) == [("precedes", str(B))]
    assert normalized(api.framework_to_spec(FRAMEWORK_ID)) == normalized(changed)


def test_reimport_deletes_dropped_nodes_but_keeps_claimed_ones_retired():
    api.save_framework(sample_spec())
    evidence = EvidenceFactory()
    claimed = Competence.objects.get(identifier=B1)
    claim = EvidenceCompetence.objects.create(evidence=evidence, competence=claimed, justification="Séance 3")
    # B and its child B1 leave the framework; A2 leaves too. Only B1 is claimed.
    api.save_framework(sample_spec(competences=[node(A, "Domain A"), node(A1, "First of A", A)], associations=[]))
    assert not Competence.objects.filter(identifier__in=[A2, B]).exists()
    claimed.refresh_from_db()
    assert claimed.extra == {"note": "kept", "retired": True}
    assert claimed.parent is None and claimed.depth == 0 and claimed.path == "0002"
    claim.refresh_from_db()
    assert claim.competence_id == claimed.pk and claim.justification == "Séance 3"
    tree = api.get_framework_tree(FRAMEWORK_ID)
    assert [top.identifier for top in tree.competences] == [A]
    assert [top.identifier for top in api.get_framework_tree(FRAMEWORK_ID, include_retired=True).competences] == [A, B1]
    assert api.get_framework_tree(FRAMEWORK_ID, include_retired=True).competences[1].retired
    assert api.get_framework_data(FRAMEWORK_ID).competence_count == 2
    assert B1 not in {item.identifier for item in api.framework_to_spec(FRAMEWORK_ID).competences}

    # Back in a later edition: the same row, no longer retired.
    api.save_framework(sample_spec())
    claimed.refresh_from_db()
    assert claimed.extra == {"note": "kept"} and claimed.parent.identifier == B
    assert api.get_framework_data(FRAMEWORK_ID).competence_count == 5


def test_retired_node_stays_under_its_nearest_kept_ancestor():
    spec = sample_spec(competences=[node(A, "a"), node(A1, "a1", A), node(A2, "a2", A1)], associations=[])
    api.save_framework(spec)
    EvidenceCompetence.objects.create(evidence=EvidenceFactory(), competence=Competence.objects.get(identifier=A2))
    api.save_framework(sample_spec(competences=[node(A, "a"), node(B, "b", A)], associations=[]))
    retired = Competence.objects.get(identifier=A2)
    assert retired.parent.identifier == A and retired.extra["retired"]
    assert [(row.identifier, row.path) for row in Competence.objects.order_by("path")] == [
        (A, "0001"), (B, "0001.0001"), (A2, "0001.0002"),
    ]


def test_a_builtin_framework_is_not_replaced_by_an_import():
    api.save_framework(sample_spec(builtin=True))
    before = framework_rows()
    with pytest.raises(api.CompetencyConflictError, match="built in"):
        api.save_framework(sample_spec(title_en="Imported over it"))
    assert framework_rows() == before
    api.save_framework(sample_spec(builtin=True, title_en="Reloaded"))
    assert Framework.objects.get().title_en == "Reloaded"


def _wide_spec(count):
    identifier = uuid.uuid5(FRAMEWORK_ID, f"wide-{count}")
    top = uuid.uuid5(identifier, "top")
    competences = [node(top, "top")] + [
        node(uuid.uuid5(identifier, str(index)), f"node {index}", parent=top) for index in range(count)
    ]
    associations = [
        api.AssociationSpec(uuid.uuid5(identifier, f"peer-{index}"), "isPeerOf", str(top), f"urn:x:{index}")
        for index in range(count)
    ]
    return sample_spec(identifier=identifier, title_en=f"Wide {count}", competences=competences,
                       associations=associations)


def test_writes_are_bulk_whatever_the_size():
    def queries(spec):
        with CaptureQueriesContext(connection) as context:
            api.save_framework(spec)
        return len(context.captured_queries)

    # A few queries per batch of rows, never one per node.
    small, large = _wide_spec(5), _wide_spec(300)
    assert queries(small) < 20 and queries(large) < 30
    assert Competence.objects.filter(framework__identifier=large.identifier).count() == 301
    changed = dataclasses.replace(large, competences=[dataclasses.replace(item, title_en=item.title_en + "!")
                                                      for item in large.competences])
    assert queries(changed) < 30
    assert Competence.objects.filter(title_en__endswith="!").count() == 301
