"""The LMS-shaped URLconf: the project's own routes, then every plugin's, as the LMS mounts them."""
from django.contrib import admin
from django.urls import path
from edx_django_utils.plugins import get_plugin_url_patterns

urlpatterns = [
    path("admin/", admin.site.urls),
    *get_plugin_url_patterns("lms.djangoapp"),
]
