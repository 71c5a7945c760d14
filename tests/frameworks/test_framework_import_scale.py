"""
Framework import at scale (not timed: ``make bench`` times it): the number of SQL queries does
not grow with the number of items, an unchanged re-import writes no node, a failure part-way
through the writes leaves nothing, and changes made by others between the plan and the write
transaction are taken into account instead of being overwritten.
"""
import io
import json
import uuid
from unittest import mock

import pytest
from django.db import DatabaseError, connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from competency_plugin import api
from competency_plugin.frameworks import writer
from competency_plugin.frameworks.formats import common, moodle_csv
from competency_plugin.models import Competence, CompetenceAssociation, EvidenceCompetence, Framework
from tests.factories import EvidenceFactory
from tests.frameworks.test_frameworks_save import framework_rows

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

NAMESPACE = uuid.UUID("5f0b6f7e-3a52-4d8e-9d0e-6f3e1f1c2a77")


def _tree(count):
    """Positions of ``count`` nodes in three levels: 2 roots, a sixth of the rest under them, the others leaves."""
    middle = max(2, (count - 2) // 6)
    parents = []
    for index in range(count):
        if index < 2:
            parents.append(None)
        elif index < 2 + middle:
            parents.append(index % 2)
        else:
            parents.append(2 + index % middle)
    return parents


def case_file(count, *, name="big", edition=1):
    """A CASE package of ``count`` items (three levels, one isRelatedTo association every 10 items)."""
    document = str(uuid.uuid5(NAMESPACE, name))
    identifiers = [str(uuid.uuid5(NAMESPACE, f"{name}-{index}")) for index in range(count)]
    link = {"title": "Big", "identifier": document, "uri": f"https://example.org/{document}"}
    items, associations = [], []
    for index, (identifier, parent) in enumerate(zip(identifiers, _tree(count))):
        items.append({"identifier": identifier, "uri": f"https://example.org/{identifier}", "CFDocumentURI": link,
                      "fullStatement": f"Statement {index}, edition {edition}", "humanCodingScheme": f"C{index}",
                      "notes": "Notes", "lastChangeDateTime": "2025-01-01T00:00:00+00:00"})
        destination = link if parent is None else {"identifier": identifiers[parent], "uri": ""}
        associations.append({"identifier": str(uuid.uuid5(NAMESPACE, f"{name}-child-{index}")),
                             "associationType": "isChildOf", "sequenceNumber": index,
                             "originNodeURI": {"identifier": identifier, "uri": ""},
                             "destinationNodeURI": destination})
        if index % 10 == 9:
            associations.append({"identifier": str(uuid.uuid5(NAMESPACE, f"{name}-related-{index}")),
                                 "associationType": "isRelatedTo", "originNodeURI": identifier,
                                 "destinationNodeURI": identifiers[index - 1]})
    package = {"CFDocument": {"identifier": document, "title": f"Big {name}", "language": "en", "uri": link["uri"]},
               "CFItems": items, "CFAssociations": associations}
    return json.dumps(package).encode("utf-8")


def moodle_file(count, *, idnumber="BIG", edition=1, newline="\n"):
    """
    A Moodle CSV of ``count`` competences in three levels, a cross-reference every 10 rows, records
    ended by ``newline`` (descriptions hold a line break).
    """
    output = io.StringIO()
    output.write(",".join(f'"{name}"' for name in moodle_csv.COLUMNS) + newline)
    output.write(f',{idnumber},"Big {idnumber}","<p>Framework</p>",1,"No,Yes",,,,,,,1,{newline}')
    for index, parent in enumerate(_tree(count)):
        related = f"{idnumber}-{index - 1}" if index % 10 == 9 else ""
        output.write(f'{"" if parent is None else f"{idnumber}-{parent}"},{idnumber}-{index},'
                     f'"Competence {index}, edition {edition}","<p>Several\nlines</p>",1,,,,0,null,'
                     f'"{related}",,,{newline}')
    return output.getvalue().encode("utf-8")


def queries(content, **options):
    """Import ``content``; return the SQL statements it sent."""
    with CaptureQueriesContext(connection) as context:
        api.import_framework(content, **options)
    return [query["sql"] for query in context.captured_queries]


@pytest.mark.parametrize("make, options", [
    (lambda count, **kwargs: case_file(count, name=f"n{count}", **kwargs), {}),
    (lambda count, **kwargs: moodle_file(count, idnumber=f"N{count}", **kwargs), {"format": "moodle-csv"}),
], ids=["case", "moodle-csv"])
def test_the_number_of_queries_does_not_grow_with_the_number_of_items(make, options):
    # Creating, re-importing unchanged, importing a new edition that changes every node.
    created, large = queries(make(60), **options), queries(make(120), **options)
    assert len(created) == len(large) <= 16
    assert Competence.objects.count() == 180
    assert len(queries(make(60), **options)) == len(queries(make(120), **options)) <= 12
    small, large = queries(make(60, edition=2), **options), queries(make(120, edition=2), **options)
    assert len(small) == len(large) <= 14
    assert Competence.objects.filter(title_en__endswith="edition 2").count() == 180
    # Larger imports add one statement per batch of rows, never one per row.
    batch = writer._CHUNK  # pylint: disable=protected-access
    assert len(queries(make(5000), **options)) <= len(created) + 5000 // batch


def _writes(statements, table):
    return [sql for sql in statements
            if table in sql and sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


def test_an_unchanged_reimport_writes_no_node_and_a_new_edition_updates_in_place():
    api.import_framework(case_file(300))
    pks = dict(Competence.objects.values_list("identifier", "pk"))
    again = queries(case_file(300))
    assert not _writes(again, Competence._meta.db_table)  # pylint: disable=protected-access
    assert not _writes(again, CompetenceAssociation._meta.db_table)  # pylint: disable=protected-access
    api.import_framework(case_file(300, edition=2))
    assert dict(Competence.objects.values_list("identifier", "pk")) == pks
    assert set(Competence.objects.values_list("title_en", flat=True)) == {
        f"Statement {index}, edition 2" for index in range(300)}
    assert CompetenceAssociation.objects.count() == 30


def _failing_after(calls):
    """An ``_insert`` that writes ``calls`` batches for real, then fails as a full disk would."""
    real, done = writer._insert, []  # pylint: disable=protected-access

    def insert(*args, **kwargs):
        if len(done) == calls:
            raise DatabaseError("disk I/O error")
        done.append(1)
        return real(*args, **kwargs)

    return insert


@pytest.mark.parametrize("calls", [1, 3])
def test_a_failure_part_way_through_the_writes_leaves_nothing(calls):
    api.import_framework(case_file(50, name="other"))
    before = framework_rows()
    with mock.patch.object(writer, "_insert", _failing_after(calls)):
        with pytest.raises(api.CompetencyInternalError):
            api.import_framework(case_file(3000))
    assert framework_rows() == before


def test_a_failed_new_edition_leaves_the_previous_one_whole():
    api.import_framework(case_file(3000))
    before = framework_rows()
    with mock.patch.object(writer, "_insert", _failing_after(1)):
        with pytest.raises(api.CompetencyInternalError):
            api.import_framework(case_file(3000, edition=2))
    assert framework_rows() == before


def test_an_invalid_last_item_refuses_the_whole_file():
    content = json.loads(case_file(2000))
    content["CFItems"][-1]["fullStatement"] = " "
    with pytest.raises(api.CompetencyRequestError, match=r"CFItems\[1999\].*title is empty"):
        api.import_framework(json.dumps(content).encode())
    assert not Framework.objects.exists() and not Competence.objects.exists()


def _plan_then(action):
    """A ``_plan`` that runs ``action`` once, after the first plan: another process's change meanwhile."""
    real, calls = writer._plan, []  # pylint: disable=protected-access

    def plan(checked):
        result = real(checked)
        calls.append(1)
        if len(calls) == 1:
            action()
        return result

    return plan, calls


def test_a_framework_changed_after_planning_is_planned_again_not_overwritten_blindly():
    api.import_framework(case_file(100))
    framework = Framework.objects.get()

    def concurrent_edit():
        Framework.objects.filter(pk=framework.pk).update(title_en="Edited meanwhile", modified=timezone.now())
        Competence.objects.filter(framework=framework, code="C5").update(title_en="Edited meanwhile")

    plan, calls = _plan_then(concurrent_edit)
    with mock.patch.object(writer, "_plan", plan):
        api.import_framework(case_file(100))
    assert len(calls) == 2
    # The first plan found nothing to change; planned again from what is stored now, the node
    # edited meanwhile differs from the file, and is written: the framework is the file's.
    assert Competence.objects.get(code="C5").title_en == "Statement 5, edition 1"
    assert Framework.objects.get().title_en == "Big big"


def test_a_node_claimed_after_planning_is_retired_not_deleted():
    api.import_framework(case_file(100))
    claimed = Competence.objects.get(code="C99")  # a leaf, which the next edition drops
    content = json.loads(case_file(100))
    content["CFItems"] = [item for item in content["CFItems"] if item["humanCodingScheme"] != "C99"]

    def claim():
        EvidenceCompetence.objects.create(evidence=EvidenceFactory(), competence=claimed, justification="Séance")

    plan, calls = _plan_then(claim)
    with mock.patch.object(writer, "_plan", plan):
        data = api.import_framework(json.dumps(content).encode())
    assert len(calls) == 2
    claimed.refresh_from_db()
    assert claimed.extra.get("retired") is True
    assert data.competence_count == 99
    assert EvidenceCompetence.objects.filter(competence=claimed).exists()


def test_a_file_is_parsed_once_when_its_format_is_guessed():
    content = case_file(20)
    with mock.patch.object(common.json, "loads", wraps=common.json.loads) as loads:
        api.import_framework(content)
    # Other calls decode the stored framework's JSON fields.
    assert [len(call.args[0]) for call in loads.call_args_list].count(len(content)) == 1


def test_a_moodle_file_reads_the_same_whatever_its_line_ends():
    specs = [moodle_csv.read_moodle_csv(moodle_file(30, newline=newline)) for newline in ("\n", "\r\n", "\r")]
    assert specs[0] == specs[1] == specs[2]
    assert specs[0].competences[0].description_en == "<p>Several\nlines</p>"
    assert [node.source_ref for node in specs[2].competences[:2]] == [
        "line 3 (ID number BIG-0)", "line 5 (ID number BIG-1)"]


def test_identical_link_objects_are_shared_and_others_kept_apart():
    data = common.parse_json('[{"identifier": "a", "uri": "u"}, {"identifier": "a", "uri": "u"}, '
                             '{"uri": "u", "identifier": "a"}, {"identifier": "a", "uri": ["u"]}, '
                             '{"identifier": "a", "uri": ["u"]}]')
    assert data[0] is data[1] and data[2] is not data[0] and data[3] is not data[4]
    assert data == [{"identifier": "a", "uri": "u"}] * 3 + [{"identifier": "a", "uri": ["u"]}] * 2


def test_retired_and_deleted_nodes_at_scale():
    api.import_framework(case_file(600))
    claims = [EvidenceCompetence(evidence=EvidenceFactory(), competence=row)
              for row in Competence.objects.filter(Q(code="C599") | Q(code="C598"))]
    EvidenceCompetence.objects.bulk_create(claims)
    content = json.loads(case_file(600))
    content["CFItems"] = content["CFItems"][:500]
    kept = {item["identifier"] for item in content["CFItems"]}
    content["CFAssociations"] = [entry for entry in content["CFAssociations"]
                                 if (entry["originNodeURI"]["identifier"] if isinstance(entry["originNodeURI"], dict)
                                     else entry["originNodeURI"]) in kept]
    data = api.import_framework(json.dumps(content).encode())
    assert data.competence_count == 500
    assert Competence.objects.count() == 502
    assert set(Competence.objects.filter(extra__retired=True).values_list("code", flat=True)) == {"C598", "C599"}
