"""The table behind the role doubles: the LMS's ``CourseAccessRole``."""
from django.conf import settings
from django.db import models
from opaque_keys.edx.django.models import CourseKeyField


class CourseAccessRole(models.Model):
    """
    A user's role in a course, or in an organisation when ``course_id`` is empty.

    The columns of ``common/djangoapps/student/models/user.py``, ``CourseAccessRole``: ``user``,
    ``org``, ``course_id`` and ``role`` (``staff``, ``limited_staff``, ``instructor``, ``beta_testers``…).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    org = models.CharField(max_length=64, db_index=True, blank=True)
    course_id = CourseKeyField(max_length=255, db_index=True, blank=True)
    role = models.CharField(max_length=64, db_index=True)

    class Meta:
        app_label = "platform_doubles"
        unique_together = ("user", "org", "course_id", "role")


class CourseOverview(models.Model):
    """
    The LMS's cached summary of a course: the columns of
    ``openedx/core/djangoapps/content/course_overviews/models.py`` (``CourseOverview``) the plugin
    reads, ``id`` (the course key, primary key) and ``display_name`` (nullable text), and its
    ``get_from_id`` lookup (described in ``tests.platform_doubles.course_overviews``).
    """

    id = CourseKeyField(db_index=True, primary_key=True, max_length=255)
    display_name = models.TextField(null=True)

    class Meta:
        app_label = "platform_doubles"

    @classmethod
    def get_from_id(cls, course_id):
        """Return the course's overview; ``DoesNotExist`` when the course is unknown, ``IOError`` when broken."""
        try:
            return cls.objects.get(id=course_id)
        except cls.DoesNotExist:
            if str(course_id) in BROKEN_COURSES:
                raise IOError(f"Error while loading course {course_id} from the module store") from None
            raise


# Course keys (text) whose load from the double's modulestore fails (``CourseOverview.get_from_id``).
BROKEN_COURSES = set()
