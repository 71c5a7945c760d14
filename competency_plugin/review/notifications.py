"""
E-mail to learners when a reviewer decides on their evidence.

Off by default: the operator turns it on with ``COMPETENCY_PORTFOLIO["NOTIFY_LEARNERS"] = True``.
The message is written in the learner's language (``compat.user_language``) and sent with
Django's mail framework (``EMAIL_BACKEND``, ``DEFAULT_FROM_EMAIL``). It names the situation,
the outcome, the decision on each competence, the feedback, and where to read it. It is written
and sent by the Celery task ``notify_learner``, off the reviewer's request; a failure to send is
logged, never raised: the decision is already committed when the message is written.
"""
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from competency_plugin.frameworks.models import ProficiencyLevel
from competency_plugin.platform import after_commit, compat
from competency_plugin.platform.conf import get_setting
from competency_plugin.review.models import CompetenceStatus, ReviewDecision, ReviewOutcome

log = logging.getLogger(__name__)

TEMPLATE = "competency_plugin/emails/evidence_reviewed.txt"


def _absolute(path):
    """``path`` prefixed with the LMS's root URL when the site knows it (``LMS_ROOT_URL``)."""
    return f"{compat.lms_root_url().rstrip('/')}{path}"


def _portfolio_url(course_key):
    try:
        return _absolute(reverse("competency_plugin:learner-portfolio", kwargs={"course_id": str(course_key)}))
    except NoReverseMatch:
        return ""


def _competence_lines(decision, language):
    """Return the decision on each competence as lines of text in the active language (one query for the levels)."""
    items = list(decision.competence_decisions.all())
    levels = {
        (level.framework_id, level.code): level
        for level in ProficiencyLevel.objects.filter(
            framework_id__in={item.competence.framework_id for item in items},
            code__in={item.level for item in items if item.level},
        )
    }
    french = language.lower().startswith("fr")
    lines = []
    for item in items:
        competence = item.competence
        title = (competence.title_fr or competence.title_en) if french else (competence.title_en or competence.title_fr)
        name = f"{competence.code} {title}".strip()
        if item.status == CompetenceStatus.VALIDATED:
            level = levels.get((competence.framework_id, item.level))
            if level is not None:
                label = (level.label_fr or level.label_en) if french else (level.label_en or level.label_fr)
                lines.append(_("{competence}: validated, level {level}").format(
                    competence=name, level=label or level.code))
            else:
                lines.append(_("{competence}: validated").format(competence=name))
        else:
            lines.append(_("{competence}: not yet demonstrated").format(competence=name))
    return lines


def _message(decision, language):
    """Return (subject, text) of the e-mail about ``decision``, in the active language."""
    evidence = decision.evidence
    accepted = decision.outcome == ReviewOutcome.ACCEPTED
    if accepted:
        subject = _("Your situation “{title}” has been accepted").format(title=evidence.title)
    else:
        subject = _("Your situation “{title}” needs a revision").format(title=evidence.title)
    context = {
        "learner": evidence.user.get_full_name() or evidence.user.username,
        "title": evidence.title,
        "version": decision.version,
        "accepted": accepted,
        "competences": _competence_lines(decision, language),
        "feedback": decision.feedback,
        "course_key": str(evidence.course_key),
        "unit_url": _absolute(compat.jump_to_url(evidence.course_key, evidence.usage_key)),
        "portfolio_url": _portfolio_url(evidence.course_key),
        "site_known": bool(compat.lms_root_url()),
    }
    # Subjects are one line; a title cannot inject headers (Django refuses newlines anyway).
    return " ".join(subject.split()), render_to_string(TEMPLATE, context)


def notify_learner_of_decision(decision_uuid):
    """
    Tell the learner by e-mail about the decision ``decision_uuid``, in their language.

    Does nothing unless ``NOTIFY_LEARNERS`` is on, or when the decision or the learner's e-mail
    address is missing. Never raises: a failure is logged.

    Returns:
        bool: whether a message was handed to the mail backend.
    """
    if not get_setting("NOTIFY_LEARNERS"):
        return False
    try:
        decision = (
            ReviewDecision.objects.select_related("evidence__user")
            .prefetch_related("competence_decisions__competence")
            .get(uuid=str(decision_uuid))
        )
    except (ReviewDecision.DoesNotExist, ValueError):
        log.warning("No review decision %s to notify the learner of", decision_uuid)
        return False
    except Exception:  # pylint: disable=broad-except
        log.exception("Could not read the review decision %s to notify the learner", decision_uuid)
        return False
    learner = decision.evidence.user
    if not learner.email:
        log.info("Learner %s has no e-mail address: review decision %s not sent", learner.pk, decision_uuid)
        return False
    try:
        with translation.override(compat.user_language(learner)):
            subject, text = _message(decision, translation.get_language() or settings.LANGUAGE_CODE)
        send_mail(subject, text, None, [learner.email])
    except Exception:  # pylint: disable=broad-except
        # SMTP errors, template errors, a missing translation: the decision stands, the mail is lost.
        log.exception("Could not e-mail learner %s about review decision %s", learner.pk, decision_uuid)
        return False
    return True


def queue_learner_notification(decision_uuid):
    """
    Queue the e-mail about a decision (the Celery task ``notify_learner``, registered as
    ``after_commit.LEARNER_NOTIFICATION``), when the instance sends them: once the current
    transaction commits (``review.services.decide`` calls it inside the decision's), at once
    outside one; never for a rolled-back decision.
    """
    if not get_setting("NOTIFY_LEARNERS"):
        return
    after_commit.schedule(after_commit.LEARNER_NOTIFICATION, str(decision_uuid))
