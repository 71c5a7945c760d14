"""
URLs the plugin mounts in the LMS and Studio: the REST API under ``/api/competency/``, the CASE
1.1 provider under ``/ims/case/v1p1/`` and the pages under ``/competency/``.
"""
from django.urls import include, path, re_path

from competency_plugin import learner_views, staff_views

app_name = "competency_plugin"

urlpatterns = [
    path("api/competency/v1/", include(("competency_plugin.rest_api.v1.urls", "v1"))),
    # In the plugin's namespace: ``competency_plugin:case-cfitem`` and the others.
    path("ims/case/v1p1/", include("competency_plugin.rest_api.case.urls")),
    re_path(
        rf"^competency/courses/{learner_views.COURSE_ID_PATTERN}/portfolio/$",
        learner_views.LearnerPortfolioView.as_view(), name="learner-portfolio",
    ),
    re_path(
        rf"^competency/courses/{learner_views.COURSE_ID_PATTERN}/review/$",
        staff_views.CourseReviewQueueView.as_view(), name="course-review-queue",
    ),
]
