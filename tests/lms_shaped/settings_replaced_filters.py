"""
The LMS-shaped settings, then a later settings patch that replaces ``OPEN_EDX_FILTERS_CONFIG``.

Tutor appends its ``openedx-lms-common-settings`` patches to the LMS's settings module after
``from lms.envs.production import *``, that is after ``add_plugins`` ran the plugins' settings: a
patch that assigns the whole dict, as this one does, drops every step a plugin appended.
"""
from tests.lms_shaped.settings import *  # noqa: F401,F403  pylint: disable=wildcard-import,unused-wildcard-import

OPEN_EDX_FILTERS_CONFIG = {
    "org.openedx.learning.certificate.creation.requested.v1": {
        "pipeline": [OPERATOR_CERTIFICATE_STEP],  # noqa: F405
        "fail_silently": False,
    },
}
