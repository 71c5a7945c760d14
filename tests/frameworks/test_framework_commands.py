"""The import_framework and export_framework management commands, end to end."""
import csv
import io
import json
import uuid

import pytest
from django.core.management import CommandError, call_command

from competency_plugin import api
from competency_plugin.models import Competence, Framework
from tests.frameworks.test_format_case import DOC, own_bytes
from tests.frameworks.test_format_mahara import matrix
from tests.frameworks.test_format_moodle import ROWS, own_csv
from tests.frameworks.test_frameworks_save import fixture_bytes, framework_rows, normalized

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def run(*args):
    """Run a command; return what it wrote to stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize("name, content, title", [
    ("framework.json", own_bytes, "Compétences numériques des enseignants"),
    ("framework.csv", own_csv, "Cadre d'essai"),
    ("framework.matrix", matrix, "Référentiel des enseignants"),
])
def test_import_guesses_the_format_from_the_file(tmp_path, name, content, title):
    path = tmp_path / name
    path.write_bytes(content())
    out, _err = run("import_framework", str(path))
    data = api.list_frameworks()[0]
    assert data.title("en") == title
    assert out == (
        f"Imported {title} ({data.identifier}): {data.competence_count} competences, {len(data.levels)} levels.\n"
    )


def test_import_with_format_and_language(tmp_path):
    path = tmp_path / "export.txt"  # a name that says nothing
    path.write_bytes(own_csv())
    run("import_framework", str(path), "--format", "moodle-csv", "--language", "fr")
    framework = Framework.objects.get()
    assert (framework.title_fr, framework.title_en, framework.language) == ("Cadre d'essai", "", "fr")
    assert Competence.objects.get(code="D1").title_fr == "Information et données"


def test_import_of_a_real_case_file(tmp_path):
    path = tmp_path / "Ordering.json"
    path.write_bytes(fixture_bytes("case/Ordering.json"))
    out, _err = run("import_framework", str(path))
    assert "ACT Holistic Framework, Math" in out and "28 competences" in out


@pytest.mark.parametrize("content, message", [
    (own_csv(rows=ROWS + ['MISSING,"D9","Orpheline",,1,,,,0,null,,14,,\n']),
     "broken.csv: Line 8 (ID number D9): the parent ID number MISSING does not exist."),
    (own_bytes()[:500], "broken.csv: The file is not valid JSON"),
])
def test_import_of_a_broken_file_raises_a_command_error_and_changes_nothing(tmp_path, content, message):
    run("import_framework", str(_write(tmp_path / "ok.json", own_bytes())))
    before = framework_rows()
    path = _write(tmp_path / "broken.csv", content)
    arguments = ["import_framework", str(path)] + (["--format", "case"] if content.startswith(b"{") else [])
    with pytest.raises(CommandError) as caught:
        run(*arguments)
    assert str(caught.value).startswith(message)
    assert framework_rows() == before


def _write(path, content):
    path.write_bytes(content)
    return path


def test_import_errors_name_the_problem(tmp_path):
    with pytest.raises(CommandError, match=r"Cannot read .*missing\.json"):
        run("import_framework", str(tmp_path / "missing.json"))
    with pytest.raises(CommandError, match="invalid choice: 'xml'"):
        run("import_framework", str(tmp_path / "x"), "--format", "xml")
    path = _write(tmp_path / "notes.txt", b"just some words\n")
    with pytest.raises(CommandError, match=r"notes\.txt: Cannot tell the format of this file"):
        run("import_framework", str(path))


def test_export_to_stdout_and_to_a_file_round_trips(tmp_path):
    api.import_framework(own_bytes())
    original = normalized(api.framework_to_spec(DOC))
    out, _err = run("export_framework", DOC, "--format", "case")
    assert json.loads(out)["CFDocument"]["identifier"] == DOC
    target = tmp_path / "out.json"
    out, err = run("export_framework", DOC, "--format", "case", "-o", str(target))
    assert out == "" and err == f"Wrote {target}.\n"
    Framework.objects.all().delete()
    run("import_framework", str(target))
    assert normalized(api.framework_to_spec(DOC)) == original


def test_export_moodle_csv_in_the_language_asked(tmp_path):
    api.import_framework(own_bytes())
    target = tmp_path / "out.csv"
    run("export_framework", DOC.upper(), "--format", "moodle-csv", "--output", str(target), "--language", "fr")
    records = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"), newline="")))
    assert records[1][2] == "Compétences numériques des enseignants"
    assert [record[1] for record in records[2:]] == ["D1", "D1.1", "D1.2", "D1.10"]


def test_export_errors_name_the_problem():
    with pytest.raises(CommandError, match=f"No framework has the identifier {uuid.UUID(int=7)}"):
        run("export_framework", str(uuid.UUID(int=7)), "--format", "case")
    with pytest.raises(CommandError, match="No framework has the identifier nonsense"):
        run("export_framework", "nonsense", "--format", "moodle-csv")
    with pytest.raises(CommandError, match="invalid choice: 'mahara'"):
        run("export_framework", DOC, "--format", "mahara")
    with pytest.raises(CommandError, match="the following arguments are required: --format"):
        run("export_framework", DOC)
