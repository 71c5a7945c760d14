"""
The stored shape of a policy version (``AttestationPolicyVersion.content``): a schema of its own.

A policy's history must read the same however ``PolicyData`` (returned by the API) changes: it is
built here with every key named, never with ``to_dict()``, and carries ``"schema"``. Version 1
keeps the keys stored before the schema had a number (no migration); the admin reads
``requirements`` by key, which both shapes hold.

Version 1::

    {"schema": 1, "course_key", "framework": uuid, "version", "min_authentic", "min_level",
     "require_blocks_completed", "certificate_gate", "modified": ISO 8601, "min_peer_feedback"
     (added later, compatibly: absent reads 0),
     "requirements": [{"competence": identifier, "code", "title_fr", "title_en", "min_validated",
                       "min_authentic"}]}
"""
__all__ = ["POLICY_SNAPSHOT_SCHEMA_VERSION", "policy_snapshot"]

POLICY_SNAPSHOT_SCHEMA_VERSION = 1


def policy_snapshot(policy):
    """Return the stored snapshot (schema 1) of a ``PolicyData``: plain JSON, every key named here."""
    return {
        "schema": POLICY_SNAPSHOT_SCHEMA_VERSION,
        "course_key": str(policy.course_key),
        "framework": str(policy.framework),
        "version": policy.version,
        "requirements": [
            {
                "competence": str(item.competence.identifier), "code": item.competence.code,
                "title_fr": item.competence.title_fr, "title_en": item.competence.title_en,
                "min_validated": item.min_validated, "min_authentic": item.min_authentic,
            }
            for item in policy.requirements
        ],
        "min_authentic": policy.min_authentic,
        "min_level": policy.min_level,
        "require_blocks_completed": policy.require_blocks_completed,
        "certificate_gate": policy.certificate_gate,
        "min_peer_feedback": policy.min_peer_feedback,
        "modified": policy.modified.isoformat() if policy.modified is not None else None,
    }
