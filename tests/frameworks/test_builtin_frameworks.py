"""
The built-in frameworks: their content against the published facts, stable identifiers,
provenance, and a reload that neither duplicates rows nor loses learners' claims.

The expected titles below restate ``reference/frameworks.md`` on purpose: the data files are
checked against the reference, not against themselves.
"""
import io
from unittest import mock

import pytest
from django.core.management import call_command

from competency_plugin import api
from competency_plugin.frameworks import builtin
from competency_plugin.models import Competence, EvidenceCompetence, Framework, ProficiencyLevel
from tests.factories import EvidenceFactory

UNKNOWN = "unverified/unknown"

UNESCO_ASPECTS = {
    "1": ("Compréhension de la place des TIC dans l'éducation", "Understanding ICT in Education"),
    "2": ("Programmes et évaluations", "Curriculum and Assessment"),
    "3": ("Pédagogie", "Pedagogy"),
    "4": ("Application des compétences numériques", "Application of Digital Skills"),
    "5": ("Organisation et administration", "Organization and Administration"),
    "6": ("Formation professionnelle des enseignants", "Teacher Professional Learning"),
}
UNESCO_MODULES = {
    "1.1": ("Compréhension des politiques", "Policy Understanding"),
    "1.2": ("Application des politiques", "Policy Application"),
    "1.3": ("Innovation en matière de politique", "Policy Innovation"),
    "2.1": ("Connaissances de base", "Basic Knowledge"),
    "2.2": ("Application des connaissances", "Knowledge Application"),
    "2.3": ("Compétences requises dans la société du savoir", "Knowledge Society Skills"),
    "3.1": ("Enseignement amélioré grâce aux TIC", "ICT-enhanced Teaching"),
    "3.2": ("Résolution de problèmes complexes", "Complex Problem-solving"),
    "3.3": ("Autogestion", "Self-management"),
    "4.1": ("Application", "Application"),
    "4.2": ("Imprégnation", "Infusion"),
    "4.3": ("Transformation", "Transformation"),
    "5.1": ("Classe standard", "Standard Classroom"),
    "5.2": ("Travail collaboratif", "Collaborative Groups"),
    "5.3": ("Organisations axées sur l'apprentissage", "Learning Organizations"),
    "6.1": ("Culture numérique", "Digital Literacy"),
    "6.2": ("Mise en réseau", "Networking"),
    "6.3": ("Enseignant en tant qu'innovateur", "Teacher as Innovator"),
}
UNESCO_STAGES = {
    1: ("Acquisition des connaissances", "Knowledge Acquisition"),
    2: ("Approfondissement des connaissances", "Knowledge Deepening"),
    3: ("Création de connaissances", "Knowledge Creation"),
}
DIGCOMPEDU_AREAS = {
    "1": "Professional Engagement",
    "2": "Digital Resources",
    "3": "Teaching and Learning",
    "4": "Assessment",
    "5": "Empowering Learners",
    "6": "Facilitating Learners' Digital Competence",
}
DIGCOMPEDU_COMPETENCES = {
    "1.1": "Organisational communication",
    "1.2": "Professional collaboration",
    "1.3": "Reflective practice",
    "1.4": "Digital Continuous Professional Development",
    "2.1": "Selecting",
    "2.2": "Creating and modifying",
    "2.3": "Managing, protecting and sharing",
    "3.1": "Teaching",
    "3.2": "Guidance",
    "3.3": "Collaborative learning",
    "3.4": "Self-regulated learning",
    "4.1": "Assessment strategies",
    "4.2": "Analysing evidence",
    "4.3": "Feedback and planning",
    "5.1": "Accessibility and inclusion",
    "5.2": "Differentiation and personalisation",
    "5.3": "Actively engaging learners",
    "6.1": "Information and media literacy",
    "6.2": "Digital communication and collaboration",
    "6.3": "Digital content creation",
    "6.4": "Responsible use",
    "6.5": "Digital problem solving",
}
# The only French DigCompEdu labels the reference gives.
DIGCOMPEDU_FR = {
    "1": "Engagement professionnel",
    "2": "Ressources numériques",
    "3": "Enseignement et apprentissage",
    "1.1": "Communication organisationnelle",
    "1.2": "Collaboration professionnelle",
    "1.3": "Pratique réflexive",
    "1.4": "Développement professionnel continu numérique",
    "2.1": "Sélection des ressources numériques",
    "2.2": "Création et modification des ressources numériques",
}
DIGCOMPEDU_LEVELS = [
    ("A1", "Nouveau venu", "Newcomer", False),
    ("A2", "Explorateur", "Explorer", False),
    ("B1", "", "Integrator", True),
    ("B2", "Expert", "Expert", True),
    ("C1", "", "Leader", True),
    ("C2", "Pionnier", "Pioneer", True),
]
CRCN = {
    "1": "Information et données",
    "1.1": "Mener une recherche et une veille d'information",
    "1.2": "Gérer des données",
    "1.3": "Traiter des données",
    "2": "Communication et collaboration",
    "2.1": "Interagir",
    "2.2": "Partager et publier",
    "2.3": "Collaborer",
    "2.4": "S'insérer dans le monde numérique",
    "3": "Création de contenus",
    "3.1": "Développer des documents textuels",
    "3.2": "Développer des documents multimédia",
    "3.3": "Adapter les documents à leur finalité",
    "3.4": "Programmer",
    "4": "Protection et sécurité",
    "4.1": "Sécuriser l'environnement numérique",
    "4.2": "Protéger les données personnelles et la vie privée",
    "4.3": "Protéger la santé, le bien-être et l'environnement",
    "5": "Environnement numérique",
    "5.1": "Résoudre des problèmes techniques",
    "5.2": "Évoluer dans un environnement numérique",
}
C2I2E = {
    "A1": "Maîtrise de l'environnement numérique professionnel",
    "A2": "Développement des compétences pour la formation tout au long de la vie",
    "A3": "Responsabilité professionnelle dans le cadre du système éducatif",
    "B1": "Travail en réseau avec l'utilisation des outils de travail collaboratif",
    "B2": "Conception et préparation de contenus d'enseignement et de situations d'apprentissage",
    "B3": "Mise en œuvre pédagogique",
    "B4": "Mise en œuvre de démarches d'évaluation",
}
SLUGS = ["c2i2e", "crcn", "digcompedu", "unesco-ict-cft-v3"]


def framework(slug):
    """The stored framework of a built-in slug."""
    return Framework.objects.get(identifier=builtin.builtin_identifier(slug))


def nodes(slug):
    """``{code: Competence}`` of a stored built-in framework."""
    return {row.code: row for row in Competence.objects.filter(framework=framework(slug)).select_related("parent")}


def table_counts():
    """Row counts of every framework table."""
    return {model.__name__: model.objects.count() for model in (Framework, ProficiencyLevel, Competence)}


def file_nodes(document):
    """Every node of a built-in file, depth first."""
    stack = list(document["competences"])
    while stack:
        node = stack.pop(0)
        yield node
        stack[:0] = node["children"]


@pytest.fixture(name="loaded")
def fixture_loaded(db):  # pylint: disable=unused-argument
    """The built-in frameworks, loaded once through the public API; the load's result."""
    return api.load_builtin_frameworks()


# --- The files themselves ------------------------------------------------------------------


def test_shipped_files_are_found_as_package_resources():
    assert builtin.builtin_slugs() == SLUGS


@pytest.mark.parametrize("slug", SLUGS)
def test_file_identifiers_are_the_documented_derivation(slug):
    document = builtin.read_builtin(slug)
    assert document["slug"] == slug
    assert document["identifier"] == str(builtin.builtin_identifier(slug))
    codes = []
    for node in file_nodes(document):
        assert node["identifier"] == str(builtin.builtin_identifier(slug, node["code"])), node["code"]
        codes.append(node["code"])
    assert len(codes) == len(set(codes))


@pytest.mark.parametrize("slug", SLUGS)
def test_every_missing_title_is_flagged(slug):
    for node in file_nodes(builtin.read_builtin(slug)):
        for language in ("fr", "en"):
            if not node["title"][language]:
                assert node["extra"][f"title_{language}_status"] == UNKNOWN, (node["code"], language)
        assert node["title"]["fr"] or node["title"]["en"], node["code"]


def test_malformed_file_is_an_internal_error():
    document = builtin.read_builtin("crcn")
    del document["competences"][0]["children"][0]["identifier"]
    with pytest.raises(api.CompetencyInternalError, match="crcn"):
        builtin.builtin_spec(document)


# --- What gets stored --------------------------------------------------------------------


def test_load_reports_each_framework_created(loaded):
    assert [(row["slug"], row["created"], row["competences"], row["levels"]) for row in loaded] == [
        ("c2i2e", True, 9, 0),
        ("crcn", True, 21, 8),
        ("digcompedu", True, 28, 6),
        ("unesco-ict-cft-v3", True, 24, 0),
    ]
    assert Framework.objects.filter(builtin=True).count() == 4


def test_unesco_aspects_and_modules(loaded):  # pylint: disable=unused-argument
    stored = nodes("unesco-ict-cft-v3")
    assert len(stored) == 24
    aspects = {code: row for code, row in stored.items() if row.parent is None}
    assert {code: (row.title_fr, row.title_en) for code, row in aspects.items()} == UNESCO_ASPECTS
    assert {row.item_type for row in aspects.values()} == {"Aspect"}
    modules = {code: row for code, row in stored.items() if row.parent is not None}
    assert {code: (row.title_fr, row.title_en) for code, row in modules.items()} == UNESCO_MODULES
    for code, module in modules.items():
        aspect, level = code.split(".")
        assert module.item_type == "Module"
        assert module.parent.code == aspect
        assert module.extra["level"] == int(level)
        assert tuple(module.extra["level_title"][lang] for lang in ("fr", "en")) == UNESCO_STAGES[int(level)]
    assert not framework("unesco-ict-cft-v3").levels.exists()


def test_unesco_tree_reads_in_order(loaded):  # pylint: disable=unused-argument
    codes = list(Competence.objects.filter(framework=framework("unesco-ict-cft-v3")).values_list("code", flat=True))
    assert codes == [code for aspect in "123456" for code in (aspect, f"{aspect}.1", f"{aspect}.2", f"{aspect}.3")]


def test_digcompedu_areas_competences_and_scale(loaded):  # pylint: disable=unused-argument
    stored = nodes("digcompedu")
    areas = {code: row for code, row in stored.items() if row.parent is None}
    competences = {code: row for code, row in stored.items() if row.parent is not None}
    assert {code: row.title_en for code, row in areas.items()} == DIGCOMPEDU_AREAS
    assert {code: row.title_en for code, row in competences.items()} == DIGCOMPEDU_COMPETENCES
    assert all(row.parent.code == code.split(".")[0] for code, row in competences.items())
    for code, row in stored.items():
        assert row.title_fr == DIGCOMPEDU_FR.get(code, ""), code
        assert (row.extra.get("title_fr_status") == UNKNOWN) == (code not in DIGCOMPEDU_FR), code
    levels = framework("digcompedu").levels.order_by("order")
    assert [(row.code, row.label_fr, row.label_en, row.proficient) for row in levels] == DIGCOMPEDU_LEVELS
    assert framework("digcompedu").extra["level_extra"] == {
        "B1": {"label_fr_status": UNKNOWN},
        "C1": {"label_fr_status": UNKNOWN},
    }


def test_crcn_domains_competences_and_levels(loaded):  # pylint: disable=unused-argument
    stored = nodes("crcn")
    assert {code: row.title_fr for code, row in stored.items()} == CRCN
    assert sum(row.parent is None for row in stored.values()) == 5
    assert sum(row.parent is not None for row in stored.values()) == 16
    for row in stored.values():
        assert row.title_en == "" and row.extra["title_en_status"] == UNKNOWN
    levels = framework("crcn").levels.order_by("order")
    assert [(row.code, row.label_fr) for row in levels] == [(str(n), f"Niveau {n}") for n in range(1, 9)]
    assert not any(row.proficient for row in levels)


def test_c2i2e_domains_and_competences(loaded):  # pylint: disable=unused-argument
    stored = nodes("c2i2e")
    domains = {code: row for code, row in stored.items() if row.parent is None}
    competences = {code: row for code, row in stored.items() if row.parent is not None}
    assert sorted(domains) == ["A", "B"]
    assert {code: row.title_fr for code, row in competences.items()} == C2I2E
    assert all(row.parent.code == code[0] for code, row in competences.items())
    assert not framework("c2i2e").levels.exists()


@pytest.mark.parametrize("slug", SLUGS)
def test_stored_identifiers_are_the_files_literals(loaded, slug):  # pylint: disable=unused-argument
    document = builtin.read_builtin(slug)
    stored = framework(slug)
    assert str(stored.identifier) == document["identifier"]
    assert {str(row.identifier): row.code for row in stored.competences.all()} == {
        node["identifier"]: node["code"] for node in file_nodes(document)
    }


@pytest.mark.parametrize("slug", SLUGS)
def test_provenance_and_licence_are_recorded(loaded, slug):  # pylint: disable=unused-argument
    stored = framework(slug)
    assert stored.builtin
    for field in ("title_fr", "version", "publisher", "source", "licence", "language"):
        assert getattr(stored, field).strip(), field


def test_licence_statements_say_what_the_reference_says(loaded):  # pylint: disable=unused-argument
    unesco = framework("unesco-ict-cft-v3")
    assert "978-92-3-100285-4" in unesco.source
    assert "CC BY-SA 3.0 IGO" in unesco.licence and "CC BY 4.0" in unesco.licence
    digcompedu = framework("digcompedu")
    assert "EUR 28775" in digcompedu.source and "Redecker" in digcompedu.source
    assert "2011/833/EU" in digcompedu.licence
    assert "2019-919" in framework("crcn").source and "D. 121-1" in framework("crcn").source
    assert "No licence statement found" in framework("crcn").licence
    assert "14 décembre 2010" in framework("c2i2e").source


# --- Reloading ---------------------------------------------------------------------------


def test_reload_changes_no_row_and_keeps_claims(loaded):  # pylint: disable=unused-argument
    module = nodes("unesco-ict-cft-v3")["3.1"]
    claim = EvidenceCompetence.objects.create(
        evidence=EvidenceFactory(), competence=module, justification="Séance avec tablettes."
    )
    counts = table_counts()
    ids = {slug: sorted(framework(slug).competences.values_list("id", flat=True)) for slug in SLUGS}
    framework_ids = sorted(Framework.objects.values_list("id", flat=True))

    again = api.load_builtin_frameworks()

    assert [row["created"] for row in again] == [False] * 4
    assert table_counts() == counts
    assert sorted(Framework.objects.values_list("id", flat=True)) == framework_ids
    for slug in SLUGS:
        assert sorted(framework(slug).competences.values_list("id", flat=True)) == ids[slug]
    claim.refresh_from_db()
    assert claim.competence_id == module.id
    assert claim.competence.title_fr == "Enseignement amélioré grâce aux TIC"


def test_upgrade_updates_the_same_rows(loaded):  # pylint: disable=unused-argument
    module = nodes("crcn")["3.4"]
    claim = EvidenceCompetence.objects.create(evidence=EvidenceFactory(), competence=module)
    original = builtin.read_builtin

    def upgraded(slug):
        document = original(slug)
        if slug == "crcn":
            document["version"] = "2019 (révisé)"
            document["competences"][2]["children"][3]["title"]["fr"] = "Programmer (révisé)"
        return document

    with mock.patch.object(builtin, "read_builtin", side_effect=upgraded):
        api.load_builtin_frameworks()

    module.refresh_from_db()
    assert module.title_fr == "Programmer (révisé)"
    assert framework("crcn").version == "2019 (révisé)"
    assert Competence.objects.filter(framework=framework("crcn")).count() == 21
    assert EvidenceCompetence.objects.get(pk=claim.pk).competence_id == module.id


def test_management_command_reports_created_then_updated(db):  # pylint: disable=unused-argument
    first, second = io.StringIO(), io.StringIO()
    call_command("load_builtin_frameworks", stdout=first)
    call_command("load_builtin_frameworks", stdout=second)
    lines = first.getvalue().splitlines()
    assert len(lines) == 4
    assert all(line.startswith("created ") for line in lines)
    assert "digcompedu" in lines[2] and "28 nodes, 6 scale levels" in lines[2]
    assert all(line.startswith("updated ") for line in second.getvalue().splitlines())
    assert Framework.objects.count() == 4


def test_upgrade_dropping_a_claimed_node_keeps_the_claim(loaded):  # pylint: disable=unused-argument
    dropped = nodes("digcompedu")["6.5"]
    claim = EvidenceCompetence.objects.create(evidence=EvidenceFactory(), competence=dropped)
    original = builtin.read_builtin

    def upgraded(slug):
        document = original(slug)
        if slug == "digcompedu":
            document["competences"][5]["children"].pop()
        return document

    with mock.patch.object(builtin, "read_builtin", side_effect=upgraded):
        result = {row["slug"]: row for row in api.load_builtin_frameworks()}

    assert result["digcompedu"]["competences"] == 27
    dropped.refresh_from_db()
    assert dropped.extra.get("retired") is True
    assert EvidenceCompetence.objects.get(pk=claim.pk).competence_id == dropped.id

    api.load_builtin_frameworks()  # the next release brings it back: same row, no longer retired
    dropped.refresh_from_db()
    assert "retired" not in dropped.extra
    assert Competence.objects.filter(framework=framework("digcompedu")).count() == 28
