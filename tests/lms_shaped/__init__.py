"""
An LMS-shaped Django project.

Its settings, URLconf and AppConfig load the installed competency plugin only through
``edx_django_utils.plugins``, as the LMS does. ``test_lms_shaped`` runs ``check_lms_shaped``
against it in a subprocess, from the editable install or a built wheel.
"""
