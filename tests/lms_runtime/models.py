"""The LMS's courseware state rows, as far as grading reads and writes them."""
from django.conf import settings
from django.db import models


class StudentModule(models.Model):
    """
    One learner's state and score in one block of a course.

    Copies the fields grading uses of ``lms/djangoapps/courseware/models.py`` ``StudentModule``:
    ``student``, ``course_id``, ``module_state_key`` (the block's usage key), ``module_type``,
    ``state``, ``grade``, ``max_grade``, ``created`` and ``modified``, unique per
    (student, block, course). Keys are stored as strings (the LMS uses opaque-key fields).
    """

    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    course_id = models.CharField(max_length=255, db_index=True)
    module_state_key = models.CharField(max_length=255, db_index=True)
    module_type = models.CharField(max_length=32, default="problem")
    state = models.TextField(null=True, blank=True)
    grade = models.FloatField(null=True, blank=True)
    max_grade = models.FloatField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "lms_runtime"
        unique_together = (("student", "module_state_key", "course_id"),)
