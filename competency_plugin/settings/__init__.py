"""Settings injected into the LMS and Studio by the edx-django-utils plugin mechanism."""
