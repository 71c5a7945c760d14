"""
Who may call each endpoint of the v1 REST API.

``competency_plugin.api`` enforces no permissions: these classes, set on each view, do.
"""
from rest_framework.permissions import IsAuthenticated


class CanViewFrameworks(IsAuthenticated):
    """
    Competence frameworks are reference data: any signed-in user may read them.

    Learners need them to claim competences, staff to review evidence and configure blocks.
    Anonymous callers get a 401 (DRF's ``NotAuthenticated``) with the standard error body.
    """
