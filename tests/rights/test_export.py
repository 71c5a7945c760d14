"""
``GET /api/competency/v1/me/portfolio/``: a learner downloads their portfolio as a ZIP archive.

What is in it (texts escaped, files with their bytes, decisions, attestation status), that it
holds nothing of anyone else, who may call it, and that it is streamed: memory does not grow
with the size of the attached files.
"""
import io
import json
import os
import tracemalloc
import zipfile

import pytest
from django.http import StreamingHttpResponse
from edx_rest_framework_extensions.auth.jwt.tests.utils import generate_jwt

from competency_plugin import api
from competency_plugin.platform.storage import get_attachment_storage
from tests.factories import AttachmentFactory, EvidenceFactory, UserFactory
from tests.rights.portfolios import (
    COURSE,
    OTHER_COURSE,
    make_framework,
    record_situation,
    reviewed_portfolio,
)

pytestmark = pytest.mark.django_db

URL = "/api/competency/v1/me/portfolio/"
SCRIPT_TITLE = "<script>alert(1)</script>"
ESCAPED_TITLE = "&lt;script&gt;alert(1)&lt;/script&gt;"
REPORT_BYTES = "Compte rendu : séance réussie.\n".encode()
PHOTO_BYTES = "Tableau de la séance, version 2.\n".encode()


@pytest.fixture(name="framework")
def _framework():
    ids = make_framework()
    api.set_policy(course_key=COURSE, framework=ids["framework"], requirements=[{"competence": ids["D1"]}])
    return ids


@pytest.fixture(name="learner")
def _learner():
    return UserFactory(username="amina", email="amina@example.org")


@pytest.fixture(name="reviewer")
def _reviewer():
    return UserFactory(username="staff-reviewer", email="staff-reviewer@example.org")


@pytest.fixture(name="portfolio")
def _portfolio(learner, reviewer, framework):
    """Amina's reviewed situation (two files), her draft, a situation in another course; Bruno's situation."""
    reviewed, draft = reviewed_portfolio(
        learner, reviewer, "AMINA", framework,
        files=[("compte-rendu.txt", REPORT_BYTES), ("tableau.txt", PHOTO_BYTES)],
    )
    elsewhere = record_situation(learner, "AMINA", framework, course=OTHER_COURSE, title=SCRIPT_TITLE, link=False)
    other = UserFactory(username="bruno", email="bruno@example.org")
    bruno = record_situation(other, "BRUNO", framework, files=[("bruno.txt", b"Fichier de BRUNO\n")])
    return {"reviewed": reviewed, "draft": draft, "elsewhere": elsewhere, "other": other, "bruno": bruno}


def read_archive(response):
    """Return the ZipFile of a streamed response's whole body, checked."""
    body = b"".join(response.streaming_content)
    archive = zipfile.ZipFile(io.BytesIO(body))  # pylint: disable=consider-using-with  # in memory
    assert archive.testzip() is None
    return archive


def download(client, language="en", **params):
    """GET the export in ``language``; return (response, ZipFile of the whole body)."""
    response = client.get(URL, params, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, response
    return response, read_archive(response)


def everything(archive):
    """All the archive's entries decoded as text, joined."""
    return "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())


# --- who may call it -------------------------------------------------------------------------


def test_anonymous_gets_401_with_error_body(client):
    response = client.get(URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("JWT")
    assert response.json()["error"] == "not_authenticated"


def test_anonymous_asking_for_a_zip_gets_the_json_401(client):
    response = client.get(URL, HTTP_ACCEPT="application/zip")
    assert response.status_code == 401
    assert response.json()["error"] == "not_authenticated"


def test_jwt_learner_downloads_their_own_portfolio(client, learner, portfolio):
    response = client.get(URL, HTTP_AUTHORIZATION=f"JWT {generate_jwt(learner)}")
    assert response.status_code == 200
    archive = read_archive(response)
    assert "AMINA" in everything(archive) and "BRUNO" not in everything(archive)


def test_invalid_course_id_is_400_with_error_body(client, learner):
    client.force_login(learner)
    response = client.get(URL, {"course_id": "not a course"})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid" and response.json()["field_errors"]["course_id"]


def test_each_learner_gets_only_their_own_data(client, learner, portfolio):
    client.force_login(portfolio["other"])
    _response, archive = download(client)
    text = everything(archive)
    assert "BRUNO" in text
    assert "AMINA" not in text and SCRIPT_TITLE not in text and ESCAPED_TITLE not in text
    assert REPORT_BYTES.decode() not in text
    assert [name for name in archive.namelist() if name.startswith("attachments/")] == [
        "attachments/001-séance-bruno/bruno.txt"
    ]


def test_a_learner_without_evidence_gets_an_empty_portfolio(client):
    client.force_login(UserFactory(username="nobody"))
    _response, archive = download(client)
    assert sorted(archive.namelist()) == ["index.html", "portfolio.json"]
    assert "Your portfolio is empty." in archive.read("index.html").decode()


# --- what is in it ---------------------------------------------------------------------------


def test_response_is_a_streamed_zip_attachment(client, learner, portfolio):
    client.force_login(learner)
    response, _archive = download(client)
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="portfolio-')
    assert response["Content-Disposition"].endswith('.zip"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_attachments_are_in_the_archive_with_their_bytes(client, learner, portfolio):
    client.force_login(learner)
    _response, archive = download(client)
    files = sorted(name for name in archive.namelist() if name.startswith("attachments/"))
    # Situations are numbered course by course, then in the order they were recorded.
    assert files == [
        "attachments/002-séance-amina/compte-rendu.txt",
        "attachments/002-séance-amina/tableau.txt",
        "attachments/003-brouillon-amina/notes-AMINA.txt",
    ]
    assert archive.read("attachments/002-séance-amina/compte-rendu.txt") == REPORT_BYTES
    assert archive.read("attachments/002-séance-amina/tableau.txt") == PHOTO_BYTES
    assert archive.read("attachments/003-brouillon-amina/notes-AMINA.txt") == b"Notes AMINA\n"


def test_index_holds_the_portfolio_with_every_text_escaped(client, learner, portfolio):
    client.force_login(learner)
    _response, archive = download(client)
    index = archive.read("index.html").decode()
    assert index.startswith("<!DOCTYPE html>") and '<html lang="en" dir="ltr">' in index
    assert ESCAPED_TITLE in index and SCRIPT_TITLE not in index
    for text in (
        "Séance AMINA", "Mes élèves de AMINA ont mesuré l’ombre.", "Analyse révisée AMINA.", "CM2 AMINA",
        "Sciences AMINA", "Justification AMINA", "Retour AMINA : précisez.", "Bravo AMINA.", "Brouillon AMINA",
        "D1.1 Competence 1", "Level B", "Revision requested", "Accepted", "Not yet demonstrated", "Validated",
        "https://example.org/amina/video", "Vidéo AMINA",
        f"Course {COURSE}", f"Course {OTHER_COURSE}",
        "You meet the attestation requirements of this course.", "This course has no attestation policy.",
        'href="attachments/002-s%C3%A9ance-amina/compte-rendu.txt"',
    ):
        assert text in index, text
    # Self-contained: nothing is fetched from elsewhere when the page is opened.
    assert "<script" not in index and "src=" not in index and "default-src 'none'" in index
    # The reviewer's account is not the learner's data.
    assert "staff-reviewer" not in everything(archive)


def test_index_is_in_the_learners_language(client, learner, portfolio):
    client.force_login(learner)
    _response, archive = download(client, language="fr")
    index = archive.read("index.html").decode()
    assert '<html lang="fr" dir="ltr">' in index
    for text in ("Mon portfolio de compétences", "Compétence 1", "Niveau B", "Révision demandée",
                 "Vous remplissez les conditions d’attestation de ce cours."):
        assert text in index, text
    _response, archive = download(client, language="ar")
    index = archive.read("index.html").decode()
    assert '<html lang="ar" dir="rtl">' in index and "ملفي الرقمي للكفايات" in index


def test_portfolio_json_holds_the_same_data(client, learner, portfolio):
    client.force_login(learner)
    _response, archive = download(client)
    data = json.loads(archive.read("portfolio.json"))
    courses = {course["course_key"]: course for course in data["courses"]}
    assert set(courses) == {COURSE, OTHER_COURSE}
    assert courses[COURSE]["attestation"]["eligible"] is True
    situations = {situation["uuid"]: situation for situation in courses[COURSE]["situations"]}
    reviewed = situations[str(portfolio["reviewed"].uuid)]
    assert reviewed["analysis"] == "Analyse révisée AMINA."
    assert reviewed["claims"][0]["justification"] == "Justification AMINA"
    assert [decision["outcome"] for decision in reviewed["decisions"]] == ["revision_requested", "accepted"]
    assert all("reviewer" not in decision for decision in reviewed["decisions"])
    assert str(portfolio["draft"].uuid) in situations


def test_course_id_limits_the_export_to_one_course(client, learner, portfolio):
    client.force_login(learner)
    response, archive = download(client, course_id=OTHER_COURSE)
    index = archive.read("index.html").decode()
    assert ESCAPED_TITLE in index and "Séance AMINA" not in index
    assert not [name for name in archive.namelist() if name.startswith("attachments/")]
    assert "portfolio-course-v1demoother2026-" in response["Content-Disposition"]


def test_a_file_lost_from_storage_is_marked_and_the_rest_exported(client, learner, portfolio):
    lost = api.get_evidence(user_id=learner.id, evidence_uuid=portfolio["reviewed"].uuid).files[0]
    from competency_plugin.models import Attachment  # pylint: disable=import-outside-toplevel

    get_attachment_storage().delete(Attachment.objects.get(uuid=lost.uuid).file_key)
    client.force_login(learner)
    _response, archive = download(client)
    assert f"attachments/002-séance-amina/{lost.title}" not in archive.namelist()
    assert "file no longer available" in archive.read("index.html").decode()
    assert archive.read("attachments/003-brouillon-amina/notes-AMINA.txt") == b"Notes AMINA\n"


def test_same_names_in_one_situation_get_distinct_paths(client, learner):
    evidence = EvidenceFactory(user=learner, title="Séance")
    for content in (b"premier\n", b"second\n", b"troisieme\n"):
        AttachmentFactory(evidence=evidence, title="notes.txt", content=content)
    AttachmentFactory(evidence=evidence, title="../../etc/passwd", content=b"x\n")
    client.force_login(learner)
    _response, archive = download(client)
    assert archive.read("attachments/001-séance/notes.txt") == b"premier\n"
    assert archive.read("attachments/001-séance/notes (2).txt") == b"second\n"
    assert archive.read("attachments/001-séance/notes (3).txt") == b"troisieme\n"
    assert all(".." not in name.split("/") and not name.startswith("/") for name in archive.namelist())
    assert archive.read("attachments/001-séance/passwd") == b"x\n"


# --- streamed --------------------------------------------------------------------------------


def _peak_memory_while_streaming(client):
    """Stream the export, dropping each chunk; return (peak traced memory, bytes streamed)."""
    response = client.get(URL)
    assert isinstance(response, StreamingHttpResponse)
    size = 0
    tracemalloc.start()
    try:
        for chunk in response.streaming_content:
            size += len(chunk)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, size


def _learner_with_files(username, file_size):
    learner = UserFactory(username=username)
    evidence = EvidenceFactory(user=learner)
    for number in (1, 2):
        AttachmentFactory(evidence=evidence, title=f"video-{number}.bin", content=os.urandom(file_size))
    return learner


def test_memory_does_not_grow_with_the_size_of_the_files(client):
    small = _learner_with_files("small-files", 50 * 1024)
    large = _learner_with_files("large-files", 5 * 1024 * 1024)
    client.force_login(small)
    small_peak, small_size = _peak_memory_while_streaming(client)
    client.force_login(large)
    large_peak, large_size = _peak_memory_while_streaming(client)
    assert large_size > 10 * 1024 * 1024 > 50 * small_size
    # Holding one 5 MB file would cost 5 MB; chunks of 64 KB cost a few hundred KB at most.
    assert large_peak < small_peak + 2 * 1024 * 1024, (small_peak, large_peak)
