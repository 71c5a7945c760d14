"""The peer feedback room's public names, gathered by ``competency_plugin.api``."""
from competency_plugin.peer.allocation import (
    current_reading,
    note_evidence_saved,
    reading_hours,
    request_reading,
)
from competency_plugin.peer.data import PeerFeedbackData, PeerReading, PeerSettings, PeerSummary, PeerVerdictData
from competency_plugin.peer.moderation import moderate_peer_feedback
from competency_plugin.peer.services import COMMENT_MAX_LENGTH as PEER_COMMENT_MAX_LENGTH
from competency_plugin.peer.services import VERDICT_COMMENT_MAX_LENGTH as PEER_VERDICT_COMMENT_MAX_LENGTH
from competency_plugin.peer.services import (
    give_feedback,
    mark_feedback_helpful,
    peer_summary,
    reply_to_feedback,
    report_feedback,
)

__all__ = [
    "current_reading",
    "note_evidence_saved",
    "reading_hours",
    "request_reading",
    "PeerFeedbackData",
    "PeerReading",
    "PeerSettings",
    "PeerSummary",
    "PeerVerdictData",
    "moderate_peer_feedback",
    "PEER_COMMENT_MAX_LENGTH",
    "PEER_VERDICT_COMMENT_MAX_LENGTH",
    "give_feedback",
    "mark_feedback_helpful",
    "peer_summary",
    "reply_to_feedback",
    "report_feedback",
]
