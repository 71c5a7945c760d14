"""Integration tests against real services of the machine (the Redis broker and a Celery worker)."""
