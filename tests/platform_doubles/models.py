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
