"""
URLs the plugin mounts in the LMS and Studio: the REST API under ``/api/competency/``, the CASE
1.1 provider under ``/ims/case/v1p1/`` and the pages under ``/competency/`` (the public pages of
verifiable credentials under ``/competency/credentials/``).
"""
from django.urls import include, path, re_path

from competency_plugin import credential_views, learner_views, staff_views

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
        rf"^competency/courses/{learner_views.COURSE_ID_PATTERN}/credentials/$",
        credential_views.ClaimCredentialView.as_view(), name="claim-credential",
    ),
    path("competency/credentials/issuer", credential_views.IssuerKeysView.as_view(), name="credential-issuer"),
    path("competency/credentials/status/revocation", credential_views.StatusListView.as_view(),
         name="credential-status-list"),
    re_path(
        rf"^competency/credentials/{credential_views.CREDENTIAL_ID_PATTERN}\.json$",
        credential_views.CredentialJsonView.as_view(), name="credential-json",
    ),
    re_path(
        rf"^competency/credentials/{credential_views.CREDENTIAL_ID_PATTERN}/$",
        credential_views.CredentialPageView.as_view(), name="credential-page",
    ),
    re_path(
        rf"^competency/courses/{learner_views.COURSE_ID_PATTERN}/review/$",
        staff_views.CourseReviewQueueView.as_view(), name="course-review-queue",
    ),
]
