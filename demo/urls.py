"""
The workbench's URLs plus the plugins' URLs, mounted as the LMS mounts them.

The learner's portfolio page comes first, through a demo view that signs in the ``?student=`` learner,
and ``jump_to`` (the LMS's route to a block's unit) opens the workbench scenario holding the block.
"""
from django.urls import re_path
from edx_django_utils.plugins import get_plugin_url_patterns
from workbench.urls import urlpatterns as workbench_urlpatterns

from competency_plugin.learner_views import COURSE_ID_PATTERN
from demo import views

urlpatterns = [
    re_path(rf"^competency/courses/{COURSE_ID_PATTERN}/portfolio/$", views.learner_portfolio,
            name="demo-learner-portfolio"),
    re_path(rf"^competency/courses/{COURSE_ID_PATTERN}/review/$", views.course_review_queue,
            name="demo-course-review-queue"),
    re_path(rf"^courses/{COURSE_ID_PATTERN}/jump_to/(?P<location>[^/]+)$", views.jump_to, name="jump_to"),
    *workbench_urlpatterns,
    *get_plugin_url_patterns("lms.djangoapp"),
]
