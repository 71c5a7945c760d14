"""
The demo's Celery app.

Tasks run eagerly, in the request or signal that queues them, since the demo has no broker.
It reads ``CELERY_*`` settings, as the LMS's app reads the LMS's.
"""
from celery import Celery

app = Celery("demo")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The app of every thread (runserver's request threads too), not only of the one importing it.
app.set_default()
