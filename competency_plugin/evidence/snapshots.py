"""
The stored shape of a submitted version (``EvidenceVersion.content``): a schema of its own.

What a learner submitted is history: it must read the same however the public dataclasses
(``EvidenceData`` and its parts, returned by ``competency_plugin.api``) change. So a snapshot is
built here with every key named, never with ``to_dict()``, and carries ``"schema"``. Version 1
keeps the keys stored before the schema had a number, so older rows need no migration;
``read_snapshot`` reads both (and fills what an older shape lacks).

Version 1::

    {"schema": 1, "situation_type", "title", "occurred_on": "YYYY-MM-DD" | None, "school_level",
     "subject", "description", "analysis",
     "attachments": [{"uuid", "kind", "title", "url", "content_type", "size", "created": ISO 8601}],
     "claims": [{"competence": identifier, "code", "title_fr", "title_en", "justification"}]}
"""
__all__ = ["SNAPSHOT_SCHEMA_VERSION", "TEXT_KEYS", "snapshot_of", "read_snapshot"]

SNAPSHOT_SCHEMA_VERSION = 1
# The text of the item, as stored (all strings).
TEXT_KEYS = ("situation_type", "title", "school_level", "subject", "description", "analysis")
_ATTACHMENT_KEYS = ("uuid", "kind", "title", "url", "content_type", "size", "created")
_CLAIM_KEYS = ("competence", "code", "title_fr", "title_en", "justification")


def _iso(value):
    return value.isoformat() if value is not None else None


def snapshot_of(evidence):
    """Return the stored snapshot (schema 1) of an ``EvidenceData``: plain JSON, every key named here."""
    return {
        "schema": SNAPSHOT_SCHEMA_VERSION,
        **{key: getattr(evidence, key) for key in TEXT_KEYS},
        "occurred_on": _iso(evidence.occurred_on),
        "attachments": [
            {
                "uuid": str(item.uuid), "kind": item.kind, "title": item.title, "url": item.url,
                "content_type": item.content_type, "size": item.size, "created": _iso(item.created),
            }
            for item in evidence.attachments
        ],
        "claims": [
            {
                "competence": str(claim.competence.identifier), "code": claim.competence.code,
                "title_fr": claim.competence.title_fr, "title_en": claim.competence.title_en,
                "justification": claim.justification,
            }
            for claim in evidence.claims
        ],
    }


def read_snapshot(content):
    """
    Return a stored snapshot in the current schema: the shape stored before ``"schema"`` (the same
    keys) or schema 1; missing keys read as empty, unknown keys are dropped.
    """
    content = content if isinstance(content, dict) else {}
    return {
        "schema": SNAPSHOT_SCHEMA_VERSION,
        **{key: content.get(key) or "" for key in TEXT_KEYS},
        "occurred_on": content.get("occurred_on") or None,
        "attachments": [
            {key: item.get(key) for key in _ATTACHMENT_KEYS}
            for item in content.get("attachments") or () if isinstance(item, dict)
        ],
        "claims": [
            {key: item.get(key, "") for key in _CLAIM_KEYS}
            for item in content.get("claims") or () if isinstance(item, dict)
        ],
    }
