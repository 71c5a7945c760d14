"""
The block's staff handlers: the review queue, one item opened, and decisions.

Every handler checks on the server that the caller is staff of the block's course (the plugin's
one rule, ``competency_plugin.api.is_course_staff``) before touching anything, and answers 403 otherwise.
"""
from portfolio_xblock.handlers import error_response, json_post_handler, payload_text
from portfolio_xblock.presentation import plugin_api
from portfolio_xblock.review_presentation import load_review_item, parse_queue_filters, render_item, render_queue
from portfolio_xblock.runtime_context import block_keys


def _course_staff(block, learner):
    if learner is None or not learner.is_staff:
        return error_response(403, "forbidden", block.ugettext("Only the course staff can review evidence."))
    return None


# JSON POST handlers for course staff; anyone else gets 403. Reads stay open to a read-only viewer.
staff_handler = json_post_handler(_course_staff)
staff_read_handler = json_post_handler(_course_staff, writes=False)


class ReviewHandlersMixin:
    """Staff handlers of the Portfolio XBlock."""

    @staff_read_handler
    def review_queue(self, learner, payload):  # pylint: disable=unused-argument
        """One page of the block's queue: ``{"status", "learner", "page"}`` -> ``{"html"}``."""
        status, learner_filter, page = parse_queue_filters(payload)
        return {"html": render_queue(self, status, learner_filter, page)}

    @staff_read_handler
    def review_item(self, learner, payload):  # pylint: disable=unused-argument
        """One submitted item of the block, with its decision form: ``{"uuid"}`` -> ``{"html"}``."""
        review = load_review_item(self, payload_text(payload, "uuid"))
        return {"html": render_item(self, review)}

    @staff_handler
    def review_decide(self, learner, payload):
        """
        Record a decision on the version read.

        Payload: ``{"uuid", "version", "base_decision", "outcome", "feedback",
        "competences": [{"competence", "status", "level"}], "queue": {filters to refresh}}``.

        Answers 409 when another reviewer decided, or the learner resubmitted, since the item
        was opened. Publishes the learner's new score when the decision changes it.
        """
        course_key, usage_key = block_keys(self)
        # One call: the decision, whose item it is, the accepted count before and after, the item reloaded.
        result = plugin_api().decide(
            evidence_uuid=payload_text(payload, "uuid"),
            course_key=course_key,
            usage_key=usage_key,  # an item of this block, or 404
            reviewer_id=learner.user_id,
            version=payload.get("version"),
            base_decision=payload_text(payload, "base_decision") or None,
            outcome=payload.get("outcome"),
            feedback=payload.get("feedback", ""),
            competences=payload.get("competences", []),
        )
        if self.score_for(result.accepted_after) != self.score_for(result.accepted_before):
            self.publish_grade(result.learner_id, result.accepted_after)
        queue = payload.get("queue")
        status, learner_filter, page = parse_queue_filters(queue if isinstance(queue, dict) else {})
        return {
            "message": self.ugettext("Decision recorded."),
            "html": render_item(self, result.review, decided=True),
            "queue_html": render_queue(self, status, learner_filter, page),
        }
