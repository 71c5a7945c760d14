"""
Plain data returned by ``competency_plugin.api``: frozen dataclasses, no models or querysets.

Each subdomain defines its own (``<subdomain>.data``); this module gathers them under one name.
"""
# pylint: disable=wildcard-import,unused-wildcard-import
from competency_plugin.attestation.data import *  # noqa: F401,F403
from competency_plugin.attestation.data import __all__ as _attestation
from competency_plugin.credentials.data import *  # noqa: F401,F403
from competency_plugin.credentials.data import __all__ as _credentials
from competency_plugin.evidence.data import *  # noqa: F401,F403
from competency_plugin.evidence.data import __all__ as _evidence
from competency_plugin.frameworks.data import *  # noqa: F401,F403
from competency_plugin.frameworks.data import __all__ as _frameworks
from competency_plugin.peer.data import *  # noqa: F401,F403
from competency_plugin.peer.data import __all__ as _peer
from competency_plugin.review.data import *  # noqa: F401,F403
from competency_plugin.review.data import __all__ as _review

__all__ = [*_frameworks, *_evidence, *_peer, *_review, *_attestation, *_credentials]
