"""
The workbench's URLs plus the plugins' URLs, mounted as the LMS mounts them.

The learner's portfolio page comes first, through a demo view that signs in the ``?student=`` learner,
and ``jump_to`` (the LMS's route to a block's unit) opens the workbench scenario holding the block.

The workbench ends its URLs with ``static(MEDIA_URL, document_root=MEDIA_ROOT)``, both empty in its
settings: under DEBUG, a route matching every path that served any file of the working directory
(``/setup.py``, ``/.git/config``, ``/var/workbench.db``, the learners' attachments) and, coming
before the plugin's URLs, hid its REST API. The demo drops every route to
``django.views.static.serve``: files reach the browser only through the handlers that check who
asks (the application's own assets through ``/static/``, found by the staticfiles finders).
"""
from django.urls import re_path
from django.views.static import serve
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
    *(pattern for pattern in workbench_urlpatterns if getattr(pattern, "callback", None) is not serve),
    *get_plugin_url_patterns("lms.djangoapp"),
]
