"""The Django admin of the plugin: framework and competence pages render for a superuser; search by code works."""
import datetime
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from competency_plugin import api
from competency_plugin.frameworks.spec import CompetenceSpec, FrameworkSpec, LevelSpec
from competency_plugin.models import Competence, Framework, ReviewAuditRecord
from tests.factories import EvidenceFactory

pytestmark = pytest.mark.django_db

FRAMEWORKS = "/admin/competency_plugin/framework/"
COMPETENCES = "/admin/competency_plugin/competence/"
RECORDS = "/admin/competency_plugin/reviewauditrecord/"


def store_framework(title, codes):
    """Store, through the API, a framework with a two-value scale and one top-level node per code."""
    spec = FrameworkSpec(
        identifier=uuid.uuid4(), title_fr=title, title_en=f"{title} EN",
        levels=[LevelSpec(code="N1", label_fr="Niveau 1", label_en="Level 1"),
                LevelSpec(code="N2", label_fr="Niveau 2", label_en="Level 2", proficient=True)],
        competences=[
            CompetenceSpec(identifier=uuid.uuid4(), code=code, title_fr=f"Titre {code}", title_en=f"Title {code}",
                           item_type="Competence", sort_order=index)
            for index, code in enumerate(codes)
        ],
    )
    api.save_framework(spec)
    return Framework.objects.get(identifier=spec.identifier)


@pytest.fixture(name="admin_client_")
def _admin_client(client):
    superuser = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(superuser)
    return client


@pytest.fixture(name="frameworks")
def _frameworks():
    return (
        store_framework("Référentiel Alpha", ["ALPHA-1", "ALPHA-2"]),
        store_framework("Référentiel Beta", ["BETA-1"]),
    )


@pytest.mark.usefixtures("frameworks")
def test_framework_changelist_renders(admin_client_):
    response = admin_client_.get(FRAMEWORKS)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Référentiel Alpha" in content and "Référentiel Beta" in content


def test_framework_change_page_shows_levels(admin_client_, frameworks):
    alpha = frameworks[0]
    response = admin_client_.get(f"{FRAMEWORKS}{alpha.pk}/change/")
    assert response.status_code == 200
    content = response.content.decode()
    assert str(alpha.identifier) in content
    assert "Niveau 1" in content and "Level 2" in content


@pytest.mark.usefixtures("frameworks")
def test_competence_changelist_renders_in_tree_order(admin_client_):
    response = admin_client_.get(COMPETENCES)
    assert response.status_code == 200
    listed = [competence.code for competence in response.context["cl"].result_list]
    assert listed == ["ALPHA-1", "ALPHA-2", "BETA-1"]


@pytest.mark.usefixtures("frameworks")
def test_competence_change_page_renders(admin_client_):
    competence = Competence.objects.get(code="BETA-1")
    response = admin_client_.get(f"{COMPETENCES}{competence.pk}/change/")
    assert response.status_code == 200
    assert "Titre BETA-1" in response.content.decode()


@pytest.mark.parametrize("query, expected", [
    ("ALPHA-2", ["ALPHA-2"]),
    ("beta", ["BETA-1"]),
    ("Title ALPHA", ["ALPHA-1", "ALPHA-2"]),
    ("Titre", ["ALPHA-1", "ALPHA-2", "BETA-1"]),
])
@pytest.mark.usefixtures("frameworks")
def test_competences_are_searchable_by_code_and_titles(admin_client_, query, expected):
    response = admin_client_.get(COMPETENCES, {"q": query})
    assert response.status_code == 200
    assert [competence.code for competence in response.context["cl"].result_list] == expected


def test_competences_filter_by_framework(admin_client_, frameworks):
    beta = frameworks[1]
    response = admin_client_.get(COMPETENCES, {"framework__id__exact": beta.pk})
    assert response.status_code == 200
    assert [competence.code for competence in response.context["cl"].result_list] == ["BETA-1"]


def test_competences_cannot_be_added_one_by_one(admin_client_):
    assert admin_client_.get(f"{COMPETENCES}add/").status_code == 403


def test_competence_changelist_query_count_does_not_grow(admin_client_, django_assert_max_num_queries):
    store_framework("Petit", ["P-1"])
    with CaptureQueriesContext(connection) as few:
        assert admin_client_.get(COMPETENCES).status_code == 200
    store_framework("Grand", [f"G-{number}" for number in range(40)])
    with django_assert_max_num_queries(len(few)):
        assert admin_client_.get(COMPETENCES).status_code == 200


def test_evidence_admin_still_renders(admin_client_):
    evidence = EvidenceFactory()
    assert admin_client_.get("/admin/competency_plugin/evidence/").status_code == 200
    assert admin_client_.get(f"/admin/competency_plugin/evidence/{evidence.pk}/change/").status_code == 200


def test_anonymous_review_records_are_listed_read_only(admin_client_):
    reviewer = get_user_model().objects.create(username="prof-durand")
    record = ReviewAuditRecord.objects.create(
        reviewer=reviewer, course_key="course-v1:Demo+TIC+2026",
        usage_key="block-v1:Demo+TIC+2026+type@portfolio+block@situations", situation_type="authentic",
        version=1, outcome="accepted", competences=[{"code": "3.1", "status": "validated"}],
        decided_on=datetime.date(2026, 11, 2),
    )
    page = admin_client_.get(RECORDS, {"q": "prof-durand"})
    assert page.status_code == 200 and "course-v1:Demo+TIC+2026" in page.content.decode()
    assert admin_client_.get(f"{RECORDS}{record.pk}/change/").status_code == 200  # shown, not editable
    assert admin_client_.get(f"{RECORDS}add/").status_code == 403
    response = admin_client_.post(f"{RECORDS}{record.pk}/change/", {"outcome": "revision_requested"})
    assert response.status_code == 403
    record.refresh_from_db()
    assert record.outcome == "accepted"


def test_every_field_of_the_plugin_has_a_translated_label():
    """The admin's columns and form labels come from the fields' verbose names: each is translatable."""
    from django.apps import apps  # pylint: disable=import-outside-toplevel
    from django.utils.functional import Promise  # pylint: disable=import-outside-toplevel

    unlabelled = [
        f"{model.__name__}.{field.name}"
        for model in apps.get_app_config("competency_plugin").get_models()
        for field in model._meta.get_fields(include_hidden=False)  # pylint: disable=protected-access
        if field.concrete and not field.auto_created and not isinstance(field.verbose_name, Promise)
    ]
    assert unlabelled == []


def test_the_admin_speaks_french(admin_client_):
    EvidenceFactory()
    page = admin_client_.get("/admin/competency_plugin/evidence/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Type de situation" in page and "Statut" in page
