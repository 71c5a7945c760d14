"""The review room's public names, gathered by ``competency_plugin.api``."""
from competency_plugin.review.data import (
    CompetenceDecisionData,
    DecisionData,
    DecisionResult,
    QueueItem,
    QueuePage,
    ReviewItem,
    VersionData,
)
from competency_plugin.review.grades import publish_score
from competency_plugin.review.models import CompetenceStatus, ReviewOutcome
from competency_plugin.review.notifications import notify_learner_of_decision, queue_learner_notification
from competency_plugin.review.queue import DEFAULT_QUEUE_PRESET, MAX_QUEUE_PAGE_SIZE, QUEUE_PRESETS, QueueFilter
from competency_plugin.review.queue import MAX_LEARNER_FILTER as MAX_QUEUE_LEARNER_FILTER
from competency_plugin.review.queue import review_blocks, review_queue
from competency_plugin.review.services import DEFAULT_PAGE_SIZE as DEFAULT_QUEUE_PAGE_SIZE
from competency_plugin.review.services import (
    MAX_FEEDBACK_LENGTH,
    REVIEWABLE_STATUSES,
    count_accepted,
    decide,
    get_review_item,
    latest_decisions,
    learner_of,
)

__all__ = [
    "CompetenceDecisionData",
    "CompetenceStatus",
    "ReviewOutcome",
    "DecisionData",
    "DecisionResult",
    "QueueItem",
    "QueuePage",
    "ReviewItem",
    "VersionData",
    "publish_score",
    "notify_learner_of_decision",
    "queue_learner_notification",
    "review_blocks",
    "DEFAULT_QUEUE_PAGE_SIZE",
    "REVIEWABLE_STATUSES",
    "count_accepted",
    "decide",
    "get_review_item",
    "latest_decisions",
    "learner_of",
    "review_queue",
    "MAX_QUEUE_PAGE_SIZE",
    "QueueFilter",
    "QUEUE_PRESETS",
    "DEFAULT_QUEUE_PRESET",
    "MAX_QUEUE_LEARNER_FILTER",
    "MAX_FEEDBACK_LENGTH",
]
