"""
Peer feedback in the block: its Studio settings, the learner's section (``templates/peer.html``,
``static/js/peer.js``), the staff's view of peers' feedback beside a situation, and their handlers.

The block only presents: every rule (who reads what, anonymity, moderation) is the plugin's,
reached through ``competency_plugin.api``.
"""
from django.utils.translation import get_language
from xblock.core import XBlockMixin
from xblock.fields import Boolean, Integer, Scope, String

from portfolio_xblock.handlers import error_response, json_post_handler, learner_handler, payload_text
from portfolio_xblock.presentation import plugin_api, render
from portfolio_xblock.runtime_context import block_keys, current_learner, dom_id, read_only_reason


def _(text):
    """Mark a string for extraction; it is translated when shown, through the runtime's i18n service."""
    return text


TIMING_VALUES = [
    {"display_name": _("As soon as the situation is submitted"), "value": "before_review"},
    {"display_name": _("Only once the staff reviewed it"), "value": "after_review"},
]
PEER_FIELDS = ("peer_feedback", "peer_count", "peer_anonymous", "peer_timing", "peer_moderation")


def _course_staff(block, learner):
    if learner is None or not learner.is_staff:
        return error_response(403, "forbidden", block.ugettext("Only the course staff can moderate peer feedback."))
    return None


staff_moderation_handler = json_post_handler(_course_staff)


class PeerFeedbackMixin(XBlockMixin):
    """The Portfolio XBlock's peer feedback: settings, views and handlers."""

    peer_feedback = Boolean(
        display_name=_("Peer feedback"),
        help=_("Learners who submitted a situation read colleagues' situations and give them feedback."),
        default=False,
        scope=Scope.settings,
    )
    peer_count = Integer(
        display_name=_("Peers per situation"),
        help=_("How many colleagues should read each situation."),
        default=2,
        scope=Scope.settings,
    )
    peer_anonymous = Boolean(
        display_name=_("Anonymous peer feedback"),
        help=_("Learners do not see who wrote the situation they read, nor who gave them feedback. Staff always do."),
        default=True,
        scope=Scope.settings,
    )
    peer_timing = String(
        display_name=_("When peers read a situation"),
        help=_("Before the staff review, or only once the staff reviewed it."),
        default="before_review",
        values=TIMING_VALUES,
        scope=Scope.settings,
    )
    peer_moderation = Boolean(
        display_name=_("Staff moderate peer feedback"),
        help=_("Peer feedback reaches the author only once the staff released it."),
        default=False,
        scope=Scope.settings,
    )

    def peer_settings(self):
        """The block's peer feedback settings, as the plugin takes them."""
        return plugin_api().PeerSettings(
            enabled=bool(self.peer_feedback), peers=max(1, self.peer_count or 1), anonymous=bool(self.peer_anonymous),
            after_review=self.peer_timing == "after_review", moderated=bool(self.peer_moderation),
        )

    def peer_summary_lines(self):
        """(label, value) pairs of the peer settings for the author's summary in Studio."""
        if not self.peer_feedback:
            return [(self.ugettext("Peer feedback"), self.ugettext("Off"))]
        timing = {item["value"]: self.ugettext(item["display_name"]) for item in TIMING_VALUES}
        return [
            (self.ugettext("Peer feedback"), self.ugettext("On")),
            (self.ugettext("Peers per situation"), str(self.peer_count)),
            (self.ugettext("Anonymous peer feedback"),
             self.ugettext("Yes") if self.peer_anonymous else self.ugettext("No")),
            (self.ugettext("When peers read a situation"), timing.get(self.peer_timing, self.peer_timing)),
            (self.ugettext("Staff moderate peer feedback"),
             self.ugettext("Yes") if self.peer_moderation else self.ugettext("No")),
        ]

    def peer_validation_errors(self, data):
        """The messages refusing peer settings that cannot work (``validate_field_data``)."""
        errors = []
        if not isinstance(data.peer_count, int) or isinstance(data.peer_count, bool) or not 1 <= data.peer_count <= 20:
            errors.append(self.ugettext("The number of peers per situation must be between 1 and 20."))
        if data.peer_timing not in {item["value"] for item in TIMING_VALUES}:
            errors.append(self.ugettext("Choose when peers read a situation."))
        return errors

    # --- the learner's section ------------------------------------------------------------------

    def peer_section(self, learner):
        """The learner's peer section (HTML), or "" when peer feedback is off or nobody is signed in."""
        if learner is None or not self.peer_feedback:
            return ""
        summary = plugin_api().peer_summary(
            user_id=learner.user_id, usage_key=block_keys(self)[1], settings=self.peer_settings())
        return render(self, "templates/peer.html", _section_context(self, summary))

    def peer_js_config(self):
        """The translated strings of ``peer.js``."""
        gettext = self.ugettext
        return {
            "messages": {
                "error": gettext("Something went wrong. Please try again."),
                "offline": gettext("The connection failed. Your text is still in the form: try again."),
                "fixErrors": gettext("Please correct the fields marked below."),
                "loading": gettext("Loading…"),
            },
        }

    def _peer_answer(self, learner, message):
        return {"message": message, "html": self.peer_section(learner)}

    @learner_handler
    def peer_request(self, learner, payload):  # pylint: disable=unused-argument
        """Give the learner a colleague's situation to read (or the one they hold): ``{}`` -> ``{"html"}``."""
        reading = plugin_api().request_reading(
            reader_id=learner.user_id, usage_key=block_keys(self)[1], settings=self.peer_settings())
        message = (self.ugettext("A colleague's situation is ready for you to read.") if reading
                   else self.ugettext("No situation is waiting for a reader at the moment. Come back later."))
        return self._peer_answer(learner, message)

    @learner_handler
    def peer_give(self, learner, payload):
        """
        Send feedback on the reading held:
        ``{"reading", "verdicts": [{"competence", "verdict", "comment"}], "comment", "question"}``.
        """
        plugin_api().give_feedback(
            reader_id=learner.user_id, reading_uuid=payload_text(payload, "reading"), usage_key=block_keys(self)[1],
            settings=self.peer_settings(), verdicts=payload.get("verdicts"), comment=payload.get("comment"),
            question=payload.get("question"),
        )
        return self._peer_answer(learner, self.ugettext("Thank you: your feedback was sent."))

    @learner_handler
    def peer_reply(self, learner, payload):
        """The author replies, once, to feedback received: ``{"feedback", "reply"}``."""
        plugin_api().reply_to_feedback(
            author_id=learner.user_id, feedback_uuid=payload_text(payload, "feedback"), usage_key=block_keys(self)[1],
            reply=payload.get("reply"))
        return self._peer_answer(learner, self.ugettext("Reply sent."))

    @learner_handler
    def peer_helpful(self, learner, payload):
        """The author marks feedback received helpful or not: ``{"feedback", "helpful": bool}``."""
        helpful = payload.get("helpful") is True
        plugin_api().mark_feedback_helpful(
            author_id=learner.user_id, feedback_uuid=payload_text(payload, "feedback"), usage_key=block_keys(self)[1],
            helpful=helpful)
        return self._peer_answer(
            learner, self.ugettext("Marked as helpful.") if helpful else self.ugettext("No longer marked as helpful."))

    @learner_handler
    def peer_report(self, learner, payload):
        """The author reports abusive feedback to the staff: ``{"feedback"}``."""
        plugin_api().report_feedback(
            author_id=learner.user_id, feedback_uuid=payload_text(payload, "feedback"), usage_key=block_keys(self)[1])
        return self._peer_answer(learner, self.ugettext("Feedback reported to the staff."))

    # --- staff ------------------------------------------------------------------------------

    def peer_staff_section(self, review):
        """Peers' feedback beside a situation the staff review (HTML; readers always named)."""
        if not review.peer_feedback and not self.peer_feedback:
            return ""
        return render(self, "templates/peer_review.html", {
            "dom_id": dom_id(self),
            "evidence_uuid": str(review.evidence.uuid),
            "feedback": [_feedback_context(self, item) for item in review.peer_feedback],
        })

    @staff_moderation_handler
    def peer_moderate(self, learner, payload):
        """Hide, release or keep a peer's feedback: ``{"feedback", "action", "evidence"}`` -> ``{"html"}``."""
        api = plugin_api()
        course_key, _usage_key = block_keys(self)
        api.moderate_peer_feedback(
            course_key=course_key, feedback_uuid=payload_text(payload, "feedback"), moderator_id=learner.user_id,
            action=payload.get("action"))
        review = api.get_review_item(evidence_uuid=payload_text(payload, "evidence"), course_key=course_key)
        messages = {"hide": _("Feedback hidden from the author."), "release": _("Feedback released to the author."),
                    "keep": _("Report dismissed: the feedback stays visible.")}
        return {"message": self.ugettext(messages[payload["action"]]), "html": self.peer_staff_section(review)}


def _verdict_label(block, verdict):
    return block.ugettext("Convincing") if verdict == "convincing" else block.ugettext("Not yet")


def _feedback_context(block, item):
    """A feedback's context, with its body (verdicts, comment, question, reply) rendered as ``html``."""
    language = get_language() or "fr"
    entry = {
        "item": item,
        "verdicts": [
            {"label": f"{verdict.code} {verdict.title_fr if language.startswith('fr') else verdict.title_en}".strip(),
             "verdict": verdict.verdict, "verdict_label": _verdict_label(block, verdict.verdict),
             "comment": verdict.comment}
            for verdict in item.verdicts
        ],
    }
    entry["html"] = render(block, "templates/peer_feedback_item.html", {"entry": entry})
    return entry


def _reading_context(reading):
    if reading is None:
        return None
    language = get_language() or "fr"
    french = language.startswith("fr")
    content = reading.content
    return {
        "reading": reading,
        "content": content,
        "claims": [
            {
                "index": index,
                "competence": claim["competence"],
                "label": f"{claim['code']} {(claim['title_fr'] if french else claim['title_en']) or claim['title_fr']}"
                .strip(),
                "justification": claim["justification"],
            }
            for index, claim in enumerate(content["claims"])
        ],
    }


def _section_context(block, summary):
    settings = block.peer_settings()
    return {
        "dom_id": dom_id(block),
        "read_only": read_only_reason(block) is not None,
        "anonymous": settings.anonymous,
        "peers": settings.peers,
        "can_read": summary.can_read,
        "reading": _reading_context(summary.reading),
        "given": [_feedback_context(block, item) for item in summary.given],
        "received": [_feedback_context(block, item) for item in summary.received],
        "comment_limit": plugin_api().PEER_COMMENT_MAX_LENGTH,
        "verdict_limit": plugin_api().PEER_VERDICT_COMMENT_MAX_LENGTH,
        "viewer": current_learner(block),
    }
