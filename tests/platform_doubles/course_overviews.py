"""
A double of ``openedx.core.djangoapps.content.course_overviews.models`` (openedx-platform): its
``CourseOverview`` model, backed by a table (``tests.platform_doubles.models.CourseOverview``).

``CourseOverview.get_from_id(course_id)`` behaves as the platform's classmethod of that name does for
the plugin's call (``competency_plugin.platform.compat.course_display_name``): it reads the row of
the course (one query; the platform caches it for the request with ``request_cached``); when there is
none, the platform loads the course from the modulestore and stores its overview, and raises
``CourseOverview.DoesNotExist`` when the modulestore has no such course either, or ``IOError`` when
the modulestore fails to load it. The double's modulestore holds no course: a course without a row
raises ``DoesNotExist``, and a course listed in ``BROKEN_COURSES`` raises ``IOError``. ``display_name`` may be
null (a course whose name was never set), as the platform's column allows.

Source: ``openedx/core/djangoapps/content/course_overviews/models.py``, ``CourseOverview.get_from_id``
and ``CourseOverview.load_from_module_store``.
"""
from tests.platform_doubles.models import BROKEN_COURSES, CourseOverview  # noqa: F401  (the module's names)

__all__ = ["BROKEN_COURSES", "CourseOverview"]
