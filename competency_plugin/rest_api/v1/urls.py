"""URLs of the v1 REST API, included under ``/api/competency/v1/``."""
from django.urls import path

from competency_plugin.rest_api.v1 import (
    credential_views,
    eligibility_views,
    learner_export,
    review_views,
    schema,
    views,
)

urlpatterns = [
    path("frameworks/", views.FrameworkListView.as_view(), name="framework-list"),
    path("frameworks/<str:identifier>/", views.FrameworkTreeView.as_view(), name="framework-tree"),
    path("frameworks/<str:identifier>/case/", views.FrameworkCaseExportView.as_view(), name="framework-case"),
    path("me/credentials/", credential_views.MyCredentialsView.as_view(), name="my-credentials"),
    path("me/portfolio/", learner_export.LearnerPortfolioExportView.as_view(), name="my-portfolio"),
    path("courses/<str:course_id>/eligibility/", eligibility_views.CourseEligibilityView.as_view(),
         name="course-eligibility"),
    path("courses/<str:course_id>/eligibility/<str:username>/", eligibility_views.LearnerEligibilityView.as_view(),
         name="learner-eligibility"),
    path("courses/<str:course_id>/policy/", eligibility_views.CoursePolicyView.as_view(), name="course-policy"),
    path("courses/<str:course_id>/credentials/<str:identifier>/revoke/",
         credential_views.RevokeCredentialView.as_view(), name="revoke-credential"),
    path("courses/<str:course_id>/evidence/", review_views.CourseEvidenceQueueView.as_view(), name="course-evidence"),
    path("schema/", schema.OpenAPISchemaView.as_view(), name="schema"),
]
