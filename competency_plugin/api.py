"""
The public Python API of the competency plugin: the only door into its data.

Callers (the Portfolio XBlock, the REST API, signal handlers, management commands) pass and
receive plain values and the dataclasses of ``competency_plugin.data``, and catch the errors of
``competency_plugin.exceptions``. Learner functions are scoped to the learner given: they never
return another learner's evidence. Staff permissions are checked by the callers, not here, with
the one rule ``is_course_staff``.

Each subdomain lists its public names in its own ``api`` module (``__all__``); this module
gathers them, so that a name is declared once, where it is defined.
"""
# pylint: disable=wildcard-import,unused-wildcard-import
from competency_plugin.attestation import api as _attestation
from competency_plugin.attestation.api import *  # noqa: F401,F403
from competency_plugin.credentials import api as _credentials
from competency_plugin.credentials.api import *  # noqa: F401,F403
from competency_plugin.evidence import api as _evidence
from competency_plugin.evidence.api import *  # noqa: F401,F403
from competency_plugin.frameworks import api as _frameworks
from competency_plugin.frameworks.api import *  # noqa: F401,F403
from competency_plugin.peer import api as _peer
from competency_plugin.peer.api import *  # noqa: F401,F403
from competency_plugin.platform import api as _platform
from competency_plugin.platform.api import *  # noqa: F401,F403
from competency_plugin.review import api as _review
from competency_plugin.review.api import *  # noqa: F401,F403
from competency_plugin.rights import api as _rights
from competency_plugin.rights.api import *  # noqa: F401,F403

__all__ = [
    *_platform.__all__,
    *_frameworks.__all__,
    *_evidence.__all__,
    *_peer.__all__,
    *_review.__all__,
    *_attestation.__all__,
    *_credentials.__all__,
    *_rights.__all__,
]
