"""
Models of the competency plugin, for Django: each subdomain defines its own, this module re-exports them.

Everything queried across learners lives in them, keyed by user, course key and usage key.
XBlock fields hold only block configuration. Read and write these models through
``competency_plugin.api``; other packages must not import this module.
"""
# pylint: disable=wildcard-import,unused-wildcard-import
from competency_plugin.attestation.models import *  # noqa: F401,F403
from competency_plugin.attestation.models import __all__ as _attestation
from competency_plugin.credentials.models import *  # noqa: F401,F403
from competency_plugin.credentials.models import __all__ as _credentials
from competency_plugin.evidence.models import *  # noqa: F401,F403
from competency_plugin.evidence.models import __all__ as _evidence
from competency_plugin.frameworks.models import *  # noqa: F401,F403
from competency_plugin.frameworks.models import __all__ as _frameworks
from competency_plugin.peer.models import *  # noqa: F401,F403
from competency_plugin.peer.models import __all__ as _peer
from competency_plugin.review.models import *  # noqa: F401,F403
from competency_plugin.review.models import __all__ as _review

__all__ = [*_frameworks, *_evidence, *_peer, *_review, *_attestation, *_credentials]
