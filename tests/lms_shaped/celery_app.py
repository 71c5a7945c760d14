"""The project's Celery app, configured from the ``CELERY_*`` settings as the LMS's is (tasks run eagerly here)."""
from celery import Celery

app = Celery("lms_shaped")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.set_default()
