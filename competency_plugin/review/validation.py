"""
The checks of a staff decision: the outcome, the feedback and one decision per claimed competence.

Every problem is reported at once, each under its field (``competences.<index>.<field>`` for one
competence's), so that the reviewer's form shows them all beside the fields at fault.
"""
from django.utils.translation import gettext as _

from competency_plugin.exceptions import CompetencyRequestError
from competency_plugin.frameworks.models import ProficiencyLevel
from competency_plugin.platform.text import text_problem
from competency_plugin.review.models import CompetenceStatus, ReviewOutcome

MAX_FEEDBACK_LENGTH = 10000


def raise_field_errors(errors):
    """Raise every field error at once: the message is the one error's, or a summary of several."""
    if errors:
        messages = [message for field_messages in errors.values() for message in field_messages]
        raise CompetencyRequestError(messages[0] if len(errors) == 1 else _("Some fields are not valid."), errors)


def form_errors(outcome, feedback):
    """Return the field errors of the outcome and the feedback (all of them, not the first)."""
    errors = {}
    if outcome not in ReviewOutcome.values:
        errors["outcome"] = [_("Choose to accept the evidence or to ask for a revision.")]
    problem = text_problem(feedback, MAX_FEEDBACK_LENGTH)
    if problem:
        errors["feedback"] = [problem]
    elif outcome == ReviewOutcome.REVISION_REQUESTED and not feedback.strip():
        errors["feedback"] = [_("Tell the learner what to revise.")]
    return errors


def _scale(claimed):
    """Return {framework id: level codes} of the frameworks of the competences ``claimed`` (one query)."""
    levels = {}
    if claimed:
        framework_ids = {competence.framework_id for competence in claimed.values()}
        for level in ProficiencyLevel.objects.filter(framework_id__in=framework_ids):
            levels.setdefault(level.framework_id, set()).add(level.code)
    return levels


def _competence_problem(item, claimed, levels):
    """Return (field, message) of what is wrong with one competence decision, or None."""
    if not isinstance(item, dict) or not isinstance(item.get("competence"), str):
        return "competence", _("Each competence decision must name its competence.")
    competence = claimed.get(item["competence"].strip().lower())
    if competence is None:
        return "competence", _("The learner did not claim one of the competences decided on.")
    if item.get("status") not in CompetenceStatus.values:
        return "status", _("Choose validated or not yet demonstrated for each competence.")
    level = item.get("level") or ""
    if not isinstance(level, str) or (level and level not in levels.get(competence.framework_id, set())):
        return "level", _("The level chosen is not on the framework's scale.")
    return None


def parse_competence_decisions(claimed, competences):
    """
    Validate one decision per competence claimed in the version decided on (``claimed``:
    {identifier: Competence}); return ([(competence, status, level)], field errors).

    Every problem is reported: under ``competences.<index>.<field>`` for the decision at that index,
    and each distinct message once under ``competences``.
    """
    if not isinstance(competences, list):
        return [], {"competences": [_("The competence decisions must be a list.")]}
    levels = _scale(claimed)
    decided, errors, summary = {}, {}, []
    for index, item in enumerate(competences):
        problem = _competence_problem(item, claimed, levels)
        if problem:
            field, message = problem
            errors[f"competences.{index}.{field}"] = [message]
            summary += [message] if message not in summary else []
            continue
        identifier = item["competence"].strip().lower()
        status, level = item["status"], item.get("level") or ""
        decided[identifier] = (claimed[identifier], status, level if status == CompetenceStatus.VALIDATED else "")
    if not errors and set(claimed) - set(decided):
        summary.append(_("Decide on every competence the learner claimed."))
    if summary:
        errors["competences"] = summary
    return list(decided.values()), errors
