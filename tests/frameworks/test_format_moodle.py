"""
Moodle competency framework CSV: files of our own making, Moodle's own sample, broken files,
and round trips file → database → file without loss.
"""
import csv
import io
import uuid

import pytest

from competency_plugin import api
from competency_plugin.frameworks.formats.moodle_csv import (
    COLUMNS,
    MOODLE_NAMESPACE,
    read_moodle_csv,
    write_moodle_csv,
)
from competency_plugin.models import Competence, CompetenceAssociation, EvidenceCompetence, Framework
from tests.factories import EvidenceFactory
from tests.frameworks.test_frameworks_save import fixture_bytes, framework_rows, normalized, sample_spec

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HEADER = ",".join(f'"{name}"' for name in COLUMNS) + "\n"
FRAMEWORK_ROW = (',CRCN-TEST,"Cadre d\'essai","<p>Un cadre</p>",1,"Non acquis,En cours,Acquis",'
                 '"[{""scaleid"":""7""},{""id"":2,""scaledefault"":1,""proficient"":0},{""id"":3,""scaledefault"":0,'
                 '""proficient"":1}]",,,,,,1,"domain,competency"\n')
ROWS = [
    ',D1,"Information et données","<p>Domaine 1</p>",1,,,,0,null,,10,,\n',
    'D1,"D1.1","Mener une recherche","<p>Sur plusieurs\nlignes, avec ""guillemets""</p>",1,,,,0,null,"D1.2",11,,\n',
    'D1,"D1.2","Gérer des données",,1,,,,0,null,"D1.1,A%2CB",12,,\n',
    ',"A,B","Un numéro avec une virgule",,2,,,"core_competency\\competency_rule_all",1,'
    '"{""base"":{""points"":2}}",,13,,\n',
]


def own_csv(rows=None, header=True):
    return ((HEADER if header else "") + FRAMEWORK_ROW + "".join(ROWS if rows is None else rows)).encode("utf-8")


def test_own_file_imports_its_framework_scale_tree_and_cross_references():
    data = api.import_framework(own_csv(), format="moodle-csv", language="fr")
    assert data.identifier == uuid.uuid5(MOODLE_NAMESPACE, "CRCN-TEST")
    assert (data.title_fr, data.title_en, data.description_fr, data.language) == (
        "Cadre d'essai", "", "<p>Un cadre</p>", "fr"
    )
    assert [(level.code, level.label_fr, level.proficient) for level in data.levels] == [
        ("1", "Non acquis", False), ("2", "En cours", False), ("3", "Acquis", True),
    ]
    rows = {row.code: row for row in Competence.objects.select_related("parent")}
    assert set(rows) == {"D1", "D1.1", "D1.2", "A,B"}
    assert rows["D1.1"].parent == rows["D1"] and rows["A,B"].parent is None
    assert rows["D1.1"].identifier == uuid.uuid5(data.identifier, "D1.1")
    assert rows["D1.1"].description_fr == '<p>Sur plusieurs\nlignes, avec "guillemets"</p>'
    assert rows["A,B"].extra["moodle"] == {
        "description_format": "2", "scale_values": "", "scale_configuration": "",
        "rule_type": "core_competency\\competency_rule_all", "rule_outcome": "1",
        "rule_config": '{"base":{"points":2}}', "exported_id": "13", "taxonomy": "",
    }
    assert rows["D1"].extra["moodle"]["rule_config"] == "null"
    related = {(row.origin, row.destination) for row in CompetenceAssociation.objects.all()}
    ids = {code: str(row.identifier) for code, row in rows.items()}
    assert related == {(ids["D1.1"], ids["D1.2"]), (ids["D1.2"], ids["D1.1"]), (ids["D1.2"], ids["A,B"])}
    assert {row.association_type for row in CompetenceAssociation.objects.all()} == {"isRelatedTo"}
    framework = Framework.objects.get()
    assert framework.extra["moodle"]["scale_id"] == "7" and framework.extra["moodle"]["scale_default"] == 2
    assert framework.extra["moodle"]["taxonomies"] == "domain,competency"


def test_text_is_english_by_default_and_the_header_is_optional():
    spec = read_moodle_csv(own_csv(header=False))
    assert spec.title_en == "Cadre d'essai" and spec.title_fr == "" and spec.language == "en"
    assert spec.levels[0].label_en == "Non acquis"
    assert {node.code: node.title_en for node in spec.competences}["D1"] == "Information et données"


def test_semicolon_separated_files_are_read():
    text = own_csv(rows=[ROWS[0]]).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    semicolons = io.StringIO()
    csv.writer(semicolons, delimiter=";", lineterminator="\n").writerows(rows)
    spec = read_moodle_csv(semicolons.getvalue())
    assert [node.code for node in spec.competences] == ["D1"] and len(spec.levels) == 3


# --- Moodle's own sample ----------------------------------------------------------------------


def test_moodle_sample_imports_the_framework_row_and_13_competences():
    content = fixture_bytes("moodle/example-excerpt.csv")
    records = list(csv.reader(io.StringIO(content.decode("utf-8"), newline="")))
    assert len(records) == 1 + 14  # header, framework row, 13 competences
    data = api.import_framework(content, filename="example-excerpt.csv")
    assert data.title_en == "OECD" and data.competence_count == 13
    assert data.description_en.startswith("<p>The Core Competencies summarise")
    assert "\n<br>• The strategic competencies</p>" in data.description_en
    assert [(level.label_en, level.proficient) for level in data.levels] == [
        ("Not yet competent", False), ("Competent", True),
    ]
    tree = api.get_framework_tree(data.identifier)
    assert [(top.code, [child.code for child in top.children]) for top in tree.competences] == [
        ("levels", ["level-1", "level-2"]), ("competencies", ["delivery", "interpersonal"]),
    ]
    delivery = tree.competences[1].children[0]
    assert [(child.code, [leaf.code for leaf in child.children]) for child in delivery.children] == [
        ("analytical-thinking", ["DR-AT1", "DR-AT-2"]), ("acheivement-focus", ["DR-AF-1"]),
    ]
    assert max(row.depth for row in Competence.objects.all()) == 3
    assert CompetenceAssociation.objects.count() == 7
    assert Framework.objects.get().extra["moodle"]["taxonomies"] == "competency,competency,competency,competency"


def test_moodle_sample_round_trips_without_loss():
    content = fixture_bytes("moodle/example-excerpt.csv")
    original = read_moodle_csv(content)
    data = api.import_framework(content, format="moodle-csv")
    assert normalized(api.framework_to_spec(data.identifier)) == normalized(original)
    exported = api.export_framework(data.identifier, "moodle-csv")
    assert normalized(read_moodle_csv(exported)) == normalized(original)

    def records(text):
        return sorted(csv.reader(io.StringIO(text, newline="")))

    # The same records as Moodle wrote them (parents before children, quoted as Moodle quotes).
    assert records(exported) == records(content.decode("utf-8"))
    assert exported.splitlines()[0] == content.decode("utf-8").splitlines()[0]
    assert exported.splitlines()[1] == content.decode("utf-8").splitlines()[1]


def test_own_file_round_trips_without_loss():
    original = read_moodle_csv(own_csv(), language="fr")
    api.import_framework(own_csv(), format="moodle-csv", language="fr")
    exported = api.export_framework(original.identifier, "moodle-csv")
    assert normalized(read_moodle_csv(exported, language="fr")) == normalized(original)
    assert '"D1.1,A%2CB"' in exported and '\nD1,D1.2,"Gérer des données",' in exported


# --- Broken files -----------------------------------------------------------------------------


@pytest.mark.parametrize("content, fragments", [
    (own_csv(rows=ROWS + ['MISSING,"D9","Orpheline",,1,,,,0,null,,14,,\n']),
     ["Line 8 (ID number D9)", "parent ID number MISSING does not exist"]),
    (own_csv(rows=ROWS + ['D1,"D1.3","Trop courte",,1,,,,0,null,,14\n']), ["Line 8", "14 columns expected, 12 found"]),
    (own_csv(rows=ROWS + ['D1,"D1.1","Encore",,1,,,,0,null,,14,,\n']),
     ["Line 8", "ID number D1.1 is already used on line 4"]),
    (own_csv(rows=ROWS + ['D1,"D1.4","Lien cassé",,1,,,,0,null,"D7",15,,\n']),
     ["Line 8 (ID number D1.4)", "cross-referenced ID number D7 does not exist"]),
    (own_csv(rows=ROWS + [',D5,"Second cadre",,1,,,,,,,,1,\n']), ["Line 8", "only the first row"]),
    ((HEADER + ROWS[0]).encode("utf-8"), ["Line 2", "first row must describe the framework"]),
    (HEADER.encode("utf-8"), ["no framework row"]),
    (own_csv().replace(b'""scaleid""', b'scaleid'), ["Line 2", "scale configuration is not valid JSON"]),
    (own_csv().replace(b'""id"":3', b'""id"":4'), ["Line 2", "value 4", "3 values"]),
    (own_csv(rows=[ROWS[0].replace("D1,", ",", 1)]), ["Line 3", "ID number is empty"]),
])
def test_broken_files_are_refused_naming_the_line_and_nothing_changes(content, fragments):
    api.import_framework(own_csv(), format="moodle-csv")
    before = framework_rows()
    with pytest.raises(api.CompetencyRequestError) as caught:
        api.import_framework(content, format="moodle-csv")
    for fragment in fragments:
        assert fragment in caught.value.message
    assert framework_rows() == before


# --- Re-import and export ---------------------------------------------------------------------


def test_reimport_updates_in_place_and_keeps_claimed_competences():
    api.import_framework(own_csv())
    pks = dict(Competence.objects.values_list("code", "pk"))
    claim = EvidenceCompetence.objects.create(evidence=EvidenceFactory(), competence_id=pks["D1.2"])
    rows = [ROWS[0].replace("Information et données", "Information et données (v2)"), ROWS[1].replace('"D1.2"', ""),
            ROWS[3]]
    api.import_framework(own_csv(rows=rows))
    assert dict(Competence.objects.values_list("code", "pk")) == pks
    assert Competence.objects.get(code="D1").title_en == "Information et données (v2)"
    claim.refresh_from_db()
    assert claim.competence.extra["retired"] is True and claim.competence.code == "D1.2"
    assert api.get_framework_data(uuid.uuid5(MOODLE_NAMESPACE, "CRCN-TEST")).competence_count == 3
    assert not CompetenceAssociation.objects.exists()


def test_export_of_a_framework_from_elsewhere_keeps_identifiers_and_levels():
    spec = sample_spec()
    spec.associations.append(api.AssociationSpec(
        uuid.uuid4(), "isRelatedTo", str(spec.competences[2].identifier), str(spec.competences[1].identifier)
    ))
    spec.competences[0].code = ""  # without a code, the identifier is the ID number
    api.save_framework(spec)
    text = api.export_framework(spec.identifier, "moodle-csv", language="fr")
    records = list(csv.reader(io.StringIO(text, newline="")))
    assert records[0] == list(COLUMNS)
    assert records[1][1] == str(spec.identifier) and records[1][2] == "Référentiel d'essai"
    assert records[1][5] == "Novice,Compétent"
    assert records[1][6] == '[{"scaleid":""},{"id":2,"scaledefault":1,"proficient":1}]'
    assert [record[1] for record in records[2:]] == ["A", "A.1", str(spec.competences[0].identifier), "B", "B.1"]
    assert records[3][10] == "B.1" and records[3][8:10] == ["0", "null"]  # isRelatedTo only, not isPeerOf
    back = read_moodle_csv(text, language="fr")
    assert back.identifier == spec.identifier
    assert {node.identifier for node in back.competences} >= {spec.competences[0].identifier}
    assert [(level.label_fr, level.proficient) for level in back.levels] == [("Novice", False), ("Compétent", True)]


def test_write_moodle_csv_gives_a_default_scale_to_a_framework_without_one():
    spec = sample_spec(levels=[])
    text = write_moodle_csv(spec, language="en")
    framework_row = list(csv.reader(io.StringIO(text, newline="")))[1]
    assert framework_row[5] == "Not yet competent,Competent" and framework_row[12] == "1"
    assert framework_row[13] == "competency,competency"
    assert [level.proficient for level in read_moodle_csv(text).levels] == [False, True]
