"""The workbench's URLs plus the plugins' URLs, mounted as the LMS mounts them."""
from edx_django_utils.plugins import get_plugin_url_patterns
from workbench.urls import urlpatterns as workbench_urlpatterns

urlpatterns = list(workbench_urlpatterns) + get_plugin_url_patterns("lms.djangoapp")
