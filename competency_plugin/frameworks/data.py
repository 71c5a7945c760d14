"""Plain data of competence frameworks returned by ``competency_plugin.api``: frozen dataclasses."""
from __future__ import annotations

import dataclasses
import datetime
from uuid import UUID

from competency_plugin.platform.values import _Described, _in_language, _Serialisable, _Titled

__all__ = [
    "CompetenceOption",
    "OPTION_FIELDS",
    "LevelData",
    "CompetenceData",
    "FrameworkData",
]


@dataclasses.dataclass(frozen=True)
class CompetenceOption(_Titled):
    """A competence a block lets learners claim, with what is needed to show it."""

    identifier: UUID
    code: str
    title_fr: str
    title_en: str
    depth: int


# The fields of a ``CompetenceOption``, in order: the columns of a competence row it is read from.
OPTION_FIELDS = tuple(field.name for field in dataclasses.fields(CompetenceOption))


@dataclasses.dataclass(frozen=True)
class LevelData(_Serialisable):
    """A value of a framework's proficiency scale, in scale order."""

    code: str
    label_fr: str
    label_en: str
    order: int
    proficient: bool

    def label(self, language):
        """The label in ``language`` ("fr…" or "en…"), else in the other language."""
        return _in_language(language, self.label_fr, self.label_en)


@dataclasses.dataclass(frozen=True)
class CompetenceData(_Described, _Serialisable):
    """
    A node of a framework's tree; ``children`` is filled only by ``get_framework_tree``.

    ``retired`` nodes were removed from the framework by a re-import but kept because evidence
    claims them; they are not offered for new claims.
    """

    identifier: UUID
    code: str
    title_fr: str
    title_en: str
    description_fr: str
    description_en: str
    item_type: str
    parent: UUID | None
    depth: int
    sort_order: int
    path: str
    retired: bool = False
    children: tuple[CompetenceData, ...] = ()


@dataclasses.dataclass(frozen=True)
class FrameworkData(_Described, _Serialisable):
    """
    A competence framework: its metadata and scale; ``competences`` holds the top-level nodes
    (each with its ``children``) when returned by ``get_framework_tree``, else is empty.
    """

    identifier: UUID
    uri: str
    title_fr: str
    title_en: str
    description_fr: str
    description_en: str
    version: str
    publisher: str
    source: str
    licence: str
    licence_uri: str
    language: str
    builtin: bool
    competence_count: int
    created: datetime.datetime
    modified: datetime.datetime
    levels: tuple[LevelData, ...] = ()
    competences: tuple[CompetenceData, ...] = ()
