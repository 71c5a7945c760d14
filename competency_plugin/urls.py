"""URLs the plugin mounts under ``/api/competency/`` in the LMS and Studio."""
from django.urls import include, path

app_name = "competency_plugin"

urlpatterns = [
    path("v1/", include(("competency_plugin.rest_api.v1.urls", "v1"))),
]
