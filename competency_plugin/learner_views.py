"""
The learner's "My portfolio" page of a course, opened from the course tab (``tabs.py``).

It shows the signed-in learner's own evidence items of the course with their status, their
coverage of each framework domain as a server-rendered SVG bar chart with a table as its text
equivalent, and their attestation status with what is still missing, in the learner's language;
once they meet the attestation policy, a form to claim its verifiable credential, and the
credentials they hold.
Nothing on the page needs JavaScript. The learner is always ``request.user``: the page never
shows another learner's data.
"""
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import BadRequest
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from competency_plugin import api
from competency_plugin.platform import compat

# A course key in a URL: ``course-v1:Org+Course+Run``, or the older ``Org/Course/Run``.
COURSE_ID_PATTERN = r"(?P<course_id>[^/+]+(?:/|\+)[^/+]+(?:/|\+)[^/?]+)"

# Geometry of the coverage chart, in SVG user units.
# Narrow enough for a phone: at 380 px wide, labels stay about 13 px high.
CHART_WIDTH = 420
CHART_LABEL_CHARS = 50
_ROW_HEIGHT = 58
_BAR_HEIGHT = 16
_CLAIMED_HEIGHT = 6
_TOP = 8
_LEFT = 4
_BAR_WIDTH = 340


def _number(value):
    """Write a coordinate as SVG reads it: a plain decimal, never in the page's number format ("520", "86.7")."""
    return f"{round(value, 1):g}"


def _short(text, limit=CHART_LABEL_CHARS):
    """``text`` cut to ``limit`` characters with an ellipsis (the table shows it whole)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _domain_label(domain, language):
    return f"{domain.code} {domain.title(language)}".strip()


def _domain_summary(domain):
    """One sentence on a domain's numbers, for screen readers and tooltips."""
    summary = ngettext(
        "{count} validated situation", "{count} validated situations", domain.validated
    ).format(count=domain.validated)
    summary += ", " + ngettext(
        "{count} submitted situation claims it", "{count} submitted situations claim it", domain.claimed
    ).format(count=domain.claimed)
    if domain.required is not None:
        summary += ", " + ngettext(
            "{count} required", "{count} required", domain.required
        ).format(count=domain.required)
    return summary


def coverage_chart(framework, language):
    """
    Return what the template needs to draw one framework's coverage as an SVG bar chart.

    Each domain is a row: its label, a bar for its validated situations, a thin bar under it
    for the submitted situations claiming it, and a dashed mark at the policy's minimum. A domain the
    policy asks for is scaled to its own minimum (the bar is full once it is met); the others share
    the scale of the largest of them.
    """
    # A domain with a requirement is drawn against it (a met 1 / 1 is a full bar); the others share one scale.
    common = max([1] + [max(item.validated, item.claimed) for item in framework.domains if item.required is None])
    rows = []
    for index, domain in enumerate(framework.domains):
        scale = common if domain.required is None else max(1, domain.required, domain.validated, domain.claimed)
        top = _TOP + index * _ROW_HEIGHT
        label = _domain_label(domain, language)
        summary = _domain_summary(domain)
        bar_y = top + 22
        rows.append({
            "label": _short(label),
            "full_label": label,
            "summary": _("{domain}: {summary}").format(domain=label, summary=summary),
            "label_y": top + 14,
            "bar_y": bar_y,
            "validated_width": _number(_BAR_WIDTH * domain.validated / scale),
            "claimed_y": bar_y + _BAR_HEIGHT + 2,
            "claimed_width": _number(_BAR_WIDTH * domain.claimed / scale),
            "value_x": _LEFT + _BAR_WIDTH + 8,
            "value_y": bar_y + _BAR_HEIGHT - 3,
            "value": (f"{domain.validated} / {domain.required}" if domain.required is not None
                      else str(domain.validated)),
            "required_x": (_number(_LEFT + _BAR_WIDTH * domain.required / scale)
                           if domain.required is not None else None),
            "mark_top": bar_y - 3,
            "mark_bottom": bar_y + _BAR_HEIGHT + _CLAIMED_HEIGHT + 5,
        })
    # Translators: separates the domains in the description of the coverage chart read by screen readers.
    separator = _("; ")
    description = separator.join(row["summary"] for row in rows) + "."
    return {
        "width": CHART_WIDTH,
        "height": _TOP * 2 + max(1, len(rows)) * _ROW_HEIGHT,
        "left": _LEFT,
        "bar_width": _BAR_WIDTH,
        "bar_height": _BAR_HEIGHT,
        "claimed_height": _CLAIMED_HEIGHT,
        "rows": rows,
        "description": description if rows else _("This framework has no domains."),
    }


def _requirement_rows(report):
    """
    Return the attestation's requirements as the page's table shows them: each once, with its progress
    (the authentic situations it asks for in the same row) and what it still lacks.
    """
    rows = []
    for line in report.requirements:
        missing = []
        if line.key == "blocks":
            missing += [] if line.met else [_("Complete every portfolio activity of the course.")]
        elif line.key == "authentic" and line.have < line.need:
            missing.append(ngettext("{count} more validated authentic situation",
                                    "{count} more validated authentic situations",
                                    line.need - line.have).format(count=line.need - line.have))
        elif line.key == "peer_feedback" and line.have < line.need:
            missing.append(ngettext("{count} more peer feedback to give to a colleague.",
                                    "{count} more peer feedback to give to colleagues.",
                                    line.need - line.have).format(count=line.need - line.have))
        elif line.have < line.need:
            missing.append(ngettext("{count} more validated situation", "{count} more validated situations",
                                    line.need - line.have).format(count=line.need - line.have))
        if line.have_authentic < line.need_authentic:
            count = line.need_authentic - line.have_authentic
            missing.append(ngettext("{count} more validated authentic situation",
                                    "{count} more validated authentic situations", count).format(count=count))
        rows.append({"line": line, "missing": missing, "percent": min(100, round(100 * line.have / max(1, line.need)))})
    return rows


def _evidence_rows(items, language):
    """Return the evidence items as the page lists them, with their translated type and status."""
    statuses = dict(api.EvidenceStatus.choices)
    types = dict(api.SituationType.choices)
    return [
        {
            "title": item.title,
            "status": item.status,
            "status_label": statuses.get(item.status, item.status),
            "situation_type": types.get(item.situation_type, ""),
            "occurred_on": item.occurred_on,
            "submitted_at": item.submitted_at,
            "competences": [
                f"{claim.competence.code} {claim.competence.title(language)}".strip() for claim in item.claims
            ],
            "attachments": len(item.attachments),
        }
        for item in items
    ]


class LearnerPortfolioView(LoginRequiredMixin, View):
    """``GET /competency/courses/{course_id}/portfolio/``: the signed-in learner's portfolio in a course."""

    template_name = "competency_plugin/learner_portfolio.html"

    def get(self, request, course_id):
        """
        Render the page for ``request.user``.

        Anonymous users are sent to the login page; users neither enrolled in the course nor on
        its staff get a 404.
        """
        try:
            course_key = api.parse_course_key(course_id, field="course_id")
        except api.CompetencyRequestError as error:  # the one answer to a bad course id: a 400
            raise BadRequest(error.message) from error
        user = request.user
        if not (compat.is_enrolled(user, course_key) or api.is_course_staff(user, course_key)):
            raise Http404(_("You are not enrolled in this course."))
        language = translation.get_language() or "en"
        frameworks = api.get_domain_coverage(user_id=user.id, course_key=course_key)
        evidence = _evidence_rows(api.list_course_evidence(user_id=user.id, course_key=course_key), language)
        report = api.get_eligibility(user, course_key, language=language)
        context = {
            "language": language,
            "course_key": str(course_key),
            "course_name": compat.course_display_name(course_key),
            "evidence": evidence,
            "awaiting": [item["title"] for item in evidence if item["status"] == api.EvidenceStatus.SUBMITTED],
            "frameworks": [
                {"title": framework.title(language), "in_policy": framework.in_policy,
                 "domains": [
                     {"label": _domain_label(domain, language), "validated": domain.validated,
                      "claimed": domain.claimed, "required": domain.required}
                     for domain in framework.domains
                 ],
                 "chart": coverage_chart(framework, language), "index": index}
                for index, framework in enumerate(frameworks)
            ],
            "report": report,
            "requirements": _requirement_rows(report),
            "credentials": api.list_credentials(user_id=user.id, course_key=course_key),
            "credentials_available": api.signing_configured(),
            "credential_outcome": request.GET.get("credential", ""),
        }
        response = TemplateResponse(request, self.template_name, context)
        response["Cache-Control"] = "no-store, private"
        return response
