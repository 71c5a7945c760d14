"""
The plugin's REST API, mounted under ``/api/competency/`` in the LMS and Studio.

It sits on top of ``competency_plugin.api``: views check authentication and permissions,
validate their input, call the API and serialize the plain data it returns. They never
touch the models. Versions live in sub-packages (``v1``).
"""
