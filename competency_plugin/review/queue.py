"""What the course-wide review queue offers to filter on, beside ``review.services.review_queue``."""
from competency_plugin.evidence import services as evidence_service
from competency_plugin.evidence.course_blocks import course_blocks


def review_blocks(*, course_key):
    """
    Return the usage keys (strings, sorted) of the course's blocks holding submitted evidence (one
    query, none while the course's blocks are cached).

    The staff page offers them as its block filter.
    """
    return sorted(course_blocks(evidence_service.parse_course_key(course_key)))
