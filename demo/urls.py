"""
The workbench's URLs plus the plugins' URLs, mounted as the LMS mounts them.

The learner's portfolio page comes first, through a demo view that signs in the ``?student=`` learner.
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
    *workbench_urlpatterns,
    *get_plugin_url_patterns("lms.djangoapp"),
]
