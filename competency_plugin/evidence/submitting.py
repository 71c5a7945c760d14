"""
Saving and submitting in one step: the learner's form goes to the server once, with its text.

A phone on a slow link pays for every round trip; the form's "Save and submit" used to send the
text, then ask for the submission. Both now happen in one transaction: when the submission is
refused (a field missing, a change made in another tab), the text is not half-saved either, and
the learner's browser still holds it (see ADR 0016).
"""
from django.db import transaction

from competency_plugin.evidence.services import save_draft, submit_evidence

__all__ = ["save_and_submit"]


def save_and_submit(*, user_id, require_claims=False, block_name=None, **draft):
    """
    Save the learner's text (``save_draft``'s arguments: a new draft when ``evidence_uuid`` is None),
    then submit the item, on the version that save made, in one transaction.

    Args:
        user_id: the learner.
        require_claims, block_name: as ``submit_evidence``.
        draft: ``save_draft``'s keyword arguments (``course_key``, ``usage_key``, ``data``,
            ``evidence_uuid``, ``client_key``, ``expected_version``…).

    Returns:
        EvidenceData: the item submitted.

    Raises:
        what ``save_draft`` and ``submit_evidence`` raise; nothing is written then.
    """
    with transaction.atomic():
        saved = save_draft(user_id=user_id, **draft)
        return submit_evidence(
            user_id=user_id,
            evidence_uuid=saved.uuid,
            require_claims=require_claims,
            usage_key=draft["usage_key"],
            expected_version=saved.edit_version,
            block_name=block_name,
        )
