"""
A learner claims the verifiable credential of their attestation in a real browser, in French,
then opens its verification page: the result, the competences, a QR code with a name.
"""
import pytest

from competency_plugin import api
from tests.attestation.support import COURSE, Framework, make_user, simple_policy, situation
from tests.credentials.conftest import credential_settings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(name="tab_url")
def fixture_tab_url(live_server, tmp_path):
    """Amina meets the course's policy (one validated situation); the site has a signing key."""
    with credential_settings(tmp_path, "k1", CREDENTIAL_BASE_URL=live_server.url):
        api.create_key(name="k1")
        framework = Framework()
        simple_policy(framework)
        amina = make_user("amina", first_name="Amina", last_name="Diallo")
        situation(amina, framework, "3.1")
        yield f"{live_server.url}/competency/courses/{COURSE}/portfolio/?student=amina"


def test_learner_claims_and_checks_the_credential(page_fr, tab_url):
    page = page_fr
    page.goto(tab_url)
    page.get_by_label("Inclure mon nom").check()
    page.get_by_role("button", name="Demander mon attestation numérique").click()
    assert page.get_by_role("status").first.inner_text() == "Votre attestation numérique est prête."
    page.get_by_role("link", name="page de vérification").click()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).inner_text() == "Vérification d’une attestation numérique"
    assert page.get_by_role("status").inner_text().startswith("Valide :")
    assert "Amina Diallo" in page.locator("dl").inner_text()
    table = page.get_by_role("table", name="Compétences validées")
    assert table.locator("tbody tr").first.inner_text().split("\t") == ["3.1 Module 3.1", "Référentiel", "—"]
    qr_code = page.get_by_role("img", name="Code QR de cette page de vérification")
    assert qr_code.is_visible() and qr_code.bounding_box()["width"] >= 100
    assert page.js_errors == []
