"""
The learner's e-mail after a review decision: off by default, sent once the decision commits
(never for a rolled-back one), in the learner's language, naming the situation, the outcome,
each competence, the feedback and where to see it; a failing mail server never fails the decision.
"""
import logging
import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from kombu.exceptions import OperationalError

from competency_plugin import api
from competency_plugin.models import ReviewDecision
from competency_plugin.platform import after_commit
from competency_plugin.signals import signals
from tests.factories import UserFactory
from tests.review.support import COURSE, decide, make_framework, submitted, usage_key, verdicts

# Real commits: ``transaction.on_commit`` callbacks run as they do in production.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(name="notify")
def _notify(settings):
    settings.COMPETENCY_PORTFOLIO = {"NOTIFY_LEARNERS": True}


@pytest.fixture(name="framework")
def _framework():
    return make_framework()


@pytest.fixture(name="learner")
def _learner():
    return UserFactory(username="amina", email="amina@example.org", first_name="Amina", last_name="Diallo")


@pytest.fixture(name="reviewer")
def _reviewer():
    return UserFactory(username="prof-durand")


def speaking(language):
    """Patch ``compat.user_language``: the learner prefers ``language``."""
    return mock.patch("competency_plugin.platform.compat.user_language", return_value=language)


def test_off_by_default(framework, learner, reviewer):
    decide(submitted(learner, framework), reviewer, framework)
    assert not mail.outbox


def test_no_task_is_queued_when_the_instance_sends_no_mail(framework, learner, reviewer):
    with mock.patch("competency_plugin.tasks.notify_learner.delay") as delay:
        decide(submitted(learner, framework), reviewer, framework)
    delay.assert_not_called()


@pytest.mark.usefixtures("notify")
def test_the_mail_is_sent_by_a_task_or_at_once_when_the_broker_is_down(framework, learner, reviewer):
    with mock.patch("competency_plugin.tasks.notify_learner.delay") as delay:
        decision = decide(submitted(learner, framework), reviewer, framework)
    delay.assert_called_once_with(str(decision.uuid))
    assert not mail.outbox  # the reviewer's request did not write it
    with mock.patch("competency_plugin.tasks.notify_learner.delay", side_effect=OperationalError("no broker")):
        decide(submitted(learner, framework, title="Autre séance"), reviewer, framework)
    assert len(mail.outbox) == 1 and "Autre séance" in mail.outbox[0].subject


@pytest.mark.usefixtures("notify")
def test_french_learner_gets_french_text(framework, learner, reviewer):
    evidence = submitted(learner, framework, title="Séance d’ombres")
    with speaking("fr") as user_language:
        decide(evidence, reviewer, framework, outcome="revision_requested",
               feedback="Précisez la consigne & les <étapes>.",
               competences=verdicts(framework, "D1.1", level="B") + verdicts(framework, "D1.2", status="not_yet"))
    assert user_language.call_args.args[0].pk == learner.pk
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["amina@example.org"]
    assert message.subject == "Votre situation « Séance d’ombres » doit être révisée"
    body = message.body
    assert "Bonjour Amina Diallo," in body
    assert "la version 1 de votre situation « Séance d’ombres »" in body
    assert "D1.1 Concevoir 1 : démontrée, niveau Niveau B" in body
    assert "D1.2 Concevoir 2 : pas encore démontrée" in body
    # Plain text: the feedback is quoted as written, not HTML-escaped.
    assert "Précisez la consigne & les <étapes>." in body
    assert f"l’activité portfolio du cours {COURSE}" in body
    assert "Design" not in body and "Feedback" not in body


@pytest.mark.usefixtures("notify")
def test_english_learner_gets_english_text(framework, learner, reviewer):
    evidence = submitted(learner, framework, title="Shadows")
    with speaking("en"):
        decide(evidence, reviewer, framework, feedback="",
               competences=verdicts(framework, "D1.1", "D1.2", level="C"))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Your situation “Shadows” has been accepted"
    assert "reviewed version 1 of your situation “Shadows” and accepted it." in message.body
    assert "D1.1 Design 1: validated, level Level C" in message.body
    assert "(no written feedback)" in message.body
    assert "Concevoir" not in message.body


@pytest.mark.usefixtures("notify")
def test_links_to_the_unit_and_portfolio_when_the_site_is_known(settings, framework, learner, reviewer):
    settings.LMS_ROOT_URL = "https://lms.example.org/"
    with speaking("en"):
        decide(submitted(learner, framework), reviewer, framework)
    body = mail.outbox[0].body
    assert f"https://lms.example.org/courses/{COURSE}/jump_to/{usage_key()}" in body
    assert f"https://lms.example.org/competency/courses/{COURSE}/portfolio/" in body


@pytest.mark.usefixtures("notify")
def test_language_falls_back_to_the_site_language(settings, framework, learner, reviewer):
    # Outside the platform compat has no preference to read: LANGUAGE_CODE applies.
    settings.LANGUAGE_CODE = "fr"
    decide(submitted(learner, framework, title="Séance"), reviewer, framework)
    assert mail.outbox[0].subject == "Votre situation « Séance » a été acceptée"


@pytest.mark.usefixtures("notify")
def test_one_mail_per_decision(framework, learner, reviewer):
    evidence = submitted(learner, framework)
    with speaking("en"):
        first = decide(evidence, reviewer, framework, outcome="revision_requested", feedback="Again.")
        again = api.submit_evidence(user_id=learner.id, evidence_uuid=evidence.uuid)
        decide(again, reviewer, framework, base_decision=first.uuid)
    assert [message.subject.split()[-1] for message in mail.outbox] == ["revision", "accepted"]


@pytest.mark.usefixtures("notify")
def test_no_mail_when_the_decision_rolls_back(framework, learner, reviewer):
    evidence = submitted(learner, framework)
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            decide(evidence, reviewer, framework)
            raise RuntimeError("the caller's transaction fails after the decision")
    assert not ReviewDecision.objects.exists()
    assert not mail.outbox


@pytest.mark.usefixtures("notify")
def test_no_mail_for_a_refused_decision(framework, learner, reviewer):
    evidence = submitted(learner, framework)
    with pytest.raises(api.CompetencyRequestError):
        decide(evidence, reviewer, framework, outcome="revision_requested", feedback="")
    assert not mail.outbox


@pytest.mark.usefixtures("notify")
def test_mail_failure_is_logged_not_raised(framework, learner, reviewer, caplog):
    evidence = submitted(learner, framework)
    with mock.patch("competency_plugin.review.notifications.send_mail",
                    side_effect=smtplib.SMTPException("relay down")):
        with caplog.at_level(logging.ERROR, logger="competency_plugin.review.notifications"):
            decision = decide(evidence, reviewer, framework)
    assert decision.outcome == "accepted"
    assert ReviewDecision.objects.filter(uuid=decision.uuid).exists()
    assert f"review decision {decision.uuid}" in caplog.text and "relay down" in caplog.text


@pytest.mark.usefixtures("notify")
def test_learner_without_address_gets_nothing(framework, reviewer):
    learner = UserFactory(username="sans-adresse", email="")
    decide(submitted(learner, framework), reviewer, framework)
    assert not mail.outbox


@pytest.mark.usefixtures("notify")
def test_unknown_decision_is_ignored():
    assert api.notify_learner_of_decision("5b0f9b8e-0b61-4d3c-9a5e-d1a3a1f6f0aa") is False
    assert api.notify_learner_of_decision("not-a-uuid") is False
    assert not mail.outbox


def test_the_signal_carries_plain_values_for_other_receivers(framework, learner, reviewer):
    received = []

    def receiver(sender, **kwargs):
        received.append((sender, kwargs))

    signals.evidence_reviewed.connect(receiver)
    try:
        decision = decide(submitted(learner, framework), reviewer, framework)
    finally:
        signals.evidence_reviewed.disconnect(receiver)
    assert len(received) == 1
    sender, arguments = received[0]
    assert sender is ReviewDecision
    assert {key: arguments[key] for key in ("decision_uuid", "course_key", "user_id", "outcome")} == {
        "decision_uuid": str(decision.uuid), "course_key": COURSE, "user_id": learner.id, "outcome": "accepted",
    }
    # The plugin's own e-mail does not hang on the signal: nothing of the plugin listens to it.
    modules = {getattr(ref(), "__module__", "") for _key, ref, *_rest in signals.evidence_reviewed.receivers}
    assert not {module for module in modules if module.startswith("competency_plugin")}


@pytest.mark.usefixtures("notify")
def test_the_mail_is_scheduled_through_after_commit_like_the_refresh(framework, learner, reviewer):
    """The one path for after-commit work: both jobs are named to ``platform.after_commit.schedule``."""
    with mock.patch("competency_plugin.platform.after_commit.schedule") as schedule:
        decision = decide(submitted(learner, framework), reviewer, framework)
    jobs = [call.args[0] for call in schedule.call_args_list]
    assert jobs == [after_commit.ELIGIBILITY_REFRESH, after_commit.LEARNER_NOTIFICATION]
    assert schedule.call_args_list[1].args[1:] == (str(decision.uuid),)
    assert not mail.outbox  # scheduled, not run: the patched path was the only one
