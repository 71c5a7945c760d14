"""
What the subdomains' plain data share: JSON conversion and titles held in French and English.

The dataclasses returned by ``competency_plugin.api`` (each subdomain's ``data`` module) build on these.
"""
from __future__ import annotations

import dataclasses
import datetime
from uuid import UUID

__all__ = ["_json", "_Serialisable", "_competence_ref", "_in_language", "_Titled", "_Described"]


def _json(value):
    """A JSON-serialisable copy of ``value``: data as dicts, UUIDs as text, dates in ISO 8601."""
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_json(item) for item in value]
    return value


class _Serialisable:
    """Data that turns into a JSON-serialisable dict of its fields."""

    def to_dict(self):
        """Return a JSON-serialisable dict."""
        return {field.name: _json(getattr(self, field.name)) for field in dataclasses.fields(self)}


def _competence_ref(option):
    """How a claim, a decision or a requirement names its competence in JSON."""
    return {
        "competence": str(option.identifier),
        "code": option.code,
        "title_fr": option.title_fr,
        "title_en": option.title_en,
    }


def _in_language(language, french, english):
    """Return ``french`` for a language starting with "fr", else ``english``; the other when empty."""
    if str(language or "").lower().startswith("fr"):
        return french or english
    return english or french


class _Titled:
    """A title held in French and English (fields of the dataclasses that use it)."""

    title_fr: str
    title_en: str

    def title(self, language):
        """The title in ``language`` ("fr…" or "en…"), else in the other language."""
        return _in_language(language, self.title_fr, self.title_en)


class _Described(_Titled):
    """A title and a description held in French and English."""

    description_fr: str
    description_en: str

    def description(self, language):
        """The description in ``language``, else in the other language."""
        return _in_language(language, self.description_fr, self.description_en)
