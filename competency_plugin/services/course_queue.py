"""What the course-wide review queue offers to filter on, beside ``services.review.review_queue``."""
from competency_plugin.models import Evidence
from competency_plugin.services import evidence as evidence_service


def review_blocks(*, course_key):
    """
    Return the usage keys (strings, sorted) of the course's blocks holding submitted evidence (one query).

    The staff page offers them as its block filter.
    """
    course_key = evidence_service.parse_course_key(course_key)
    keys = (
        Evidence.objects.filter(course_key=course_key, version__gt=0)
        .order_by()
        .values_list("usage_key", flat=True)
        .distinct()
    )
    return sorted({str(key) for key in keys})
