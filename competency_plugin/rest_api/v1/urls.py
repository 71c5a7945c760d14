"""URLs of the v1 REST API, included under ``/api/competency/v1/``."""
from django.urls import path

from competency_plugin.rest_api.v1 import learner_export, views

urlpatterns = [
    path("frameworks/", views.FrameworkListView.as_view(), name="framework-list"),
    path("frameworks/<str:identifier>/", views.FrameworkTreeView.as_view(), name="framework-tree"),
    path("frameworks/<str:identifier>/case/", views.FrameworkCaseExportView.as_view(), name="framework-case"),
    path("me/portfolio/", learner_export.LearnerPortfolioExportView.as_view(), name="my-portfolio"),
]
