"""
Feedback between colleagues in a real browser, in French, at phone width, on a page holding two
portfolio blocks: a learner reads a colleague's situation (keyboard) and answers it competence by
competence; the author reads it without the reader's name, replies, marks it helpful and reports
it; course staff filter the queue on reported peer feedback and hide it, which the author then no
longer sees.
"""
import pytest

from competency_plugin.models import PeerFeedback, PeerModerationRecord
from tests.browser.conftest import axe_violations
from tests.browser.test_review_journey import french_page
from tests.portfolio_xblock.test_review_handlers import Review, make_framework

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(name="peers")
def fixture_peers(make_scenario):
    """Two peer feedback blocks on one page; amina and bruno submitted a situation in the first."""
    framework, nodes = make_framework()
    block = f'<portfolio display_name="Pairagogie" framework="{framework}" peer_feedback="true"/>'
    review = Review(make_scenario(block, block.replace("Pairagogie", "Second bloc")), nodes)
    review.amina = review.submit(student="amina", title="Séance de géométrie avec tablettes")
    review.bruno = review.submit(student="bruno", title="Atelier de robotique au CM1")
    return review


def give_feedback(reader, url):
    """amina, on her phone, asks for a colleague's situation with the keyboard and answers it."""
    reader.goto(url + "?student=amina")
    first, second = reader.locator('[data-role="peer"]').all()
    assert "Soumettez une situation pour lire celles de vos collègues." in second.inner_text()
    button = first.get_by_role("button", name="Lire la situation d’un collègue")
    button.focus()
    reader.keyboard.press("Enter")
    title = first.locator('[data-role="peer-reading-title"]')
    title.wait_for()
    assert "Atelier de robotique au CM1" in title.inner_text()
    assert title.evaluate("node => node === document.activeElement")
    assert "bruno" not in first.inner_text()
    form = first.locator('[data-role="peer-form"]')
    form.get_by_role("button", name="Envoyer mon retour").click()  # nothing chosen: refused, field by field
    errors = form.locator('[data-role="peer-errors"]')
    errors.filter(has_text="Veuillez corriger").wait_for()
    assert errors.evaluate("node => node === document.activeElement")
    form.get_by_role("group", name="3.1 Enseignement amélioré").get_by_label("Convaincant").check()
    group = form.get_by_role("group", name="3.2 Résolution de problèmes")
    group.get_by_label("Pas encore").check()
    group.get_by_label("Pourquoi (facultatif)").fill("Le problème posé reste flou.")
    form.get_by_label("Commentaire général (obligatoire)").fill("Belle séance, l’analyse est précise.")
    form.get_by_label("Une question à l’auteur (facultatif)").fill("Combien de robots pour la classe ?")
    form.get_by_role("button", name="Envoyer mon retour").click()
    first.locator('[data-role="peer-live"]').filter(has_text="Merci : votre retour a été envoyé.").wait_for()
    assert "Belle séance, l’analyse est précise." in first.inner_text()
    feedback = PeerFeedback.objects.get()
    assert [item["verdict"] for item in feedback.verdicts] == ["convincing", "not_yet"]
    assert reader.js_errors == []
    return feedback


def reply_and_report(author, url, feedback):
    """bruno reads the feedback without amina's name, replies, marks it helpful and reports it."""
    author.goto(url + "?student=bruno")
    section = author.locator('[data-role="peer"]').first
    item = section.locator(f'li[data-feedback="{feedback.uuid}"]')
    text = item.inner_text()
    assert "Un collègue" in text and "amina" not in text and "Combien de robots pour la classe ?" in text
    item.get_by_label("Votre réponse (une seule fois)").fill("Un robot pour quatre élèves.")
    item.get_by_role("button", name="Répondre").click()
    section.locator('[data-role="peer-live"]').filter(has_text="Réponse envoyée.").wait_for()
    item.get_by_role("button", name="Utile").click()
    item.locator('[aria-pressed="true"]').wait_for()
    item.get_by_role("button", name="Signaler comme abusif").click()
    author.get_by_text("Vous avez signalé ce retour à l’équipe pédagogique.").wait_for()
    assert author.js_errors == []
    assert axe_violations(author, ".cpf") == []


def hide(staff, url):
    """staff_ana filters the queue on reported peer feedback, opens the situation and hides the feedback."""
    staff.goto(url + "?student=staff_ana")
    review = staff.locator(".cpf-review").first
    review.get_by_label("Statut").select_option(label="Retour entre pairs signalé")
    review.get_by_role("button", name="Filtrer").click()
    queue = review.locator('[data-role="review-queue"]')
    queue.get_by_text("Séance de géométrie avec tablettes").wait_for(state="detached")  # the filtered list
    assert "Atelier de robotique au CM1" in queue.inner_text()
    review.get_by_role("button", name="Ouvrir").click()
    peer = review.locator('[data-role="peer-staff"]')
    peer.wait_for()
    assert "amina (anonyme pour l’auteur)" in peer.inner_text() and "Signalé par l’auteur" in peer.inner_text()
    assert axe_violations(staff, ".cpf-review") == []
    peer.get_by_role("button", name="Masquer à l’auteur").click()
    review.locator('[data-role="review-live"]').filter(has_text="Retour masqué à l’auteur.").wait_for()
    assert staff.js_errors == []


def test_a_learner_gives_feedback_the_author_reports_it_staff_hide_it(page_fr, browser, live_server, peers):
    url = f"{live_server.url}/scenario/{peers.scenario.name}/"
    feedback = give_feedback(page_fr, url)
    author, staff = french_page(browser), french_page(browser)
    reply_and_report(author, url, feedback)
    hide(staff, url)
    assert PeerFeedback.objects.get().hidden
    assert PeerModerationRecord.objects.get().moderator.username == "staff_ana"
    author.reload()
    assert "Belle séance" not in author.locator('[data-role="peer"]').first.inner_text()
    for page in (author, staff):
        page.context.close()
