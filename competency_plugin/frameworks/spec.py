"""
The in-memory form of a framework between a file and the database.

Every reader (built-in data, CASE, Moodle CSV, Mahara) produces a ``FrameworkSpec``; one
writer (``frameworks.save_framework``) validates it and stores it atomically; exporters read
the database back into the same form. Identifiers are UUIDs, stable across reloads.
"""
from __future__ import annotations

import dataclasses
from uuid import UUID


@dataclasses.dataclass(slots=True)
class LevelSpec:
    """A value of the proficiency scale, in scale order."""

    code: str
    label_fr: str = ""
    label_en: str = ""
    proficient: bool = False


@dataclasses.dataclass(slots=True)
class CompetenceSpec:
    """
    A node of the tree; ``parent`` is the identifier of its parent node, None at the top.

    With ``__slots__``, as ``AssociationSpec``: a large framework holds tens of thousands of them.
    """

    identifier: UUID
    code: str = ""
    title_fr: str = ""
    title_en: str = ""
    description_fr: str = ""
    description_en: str = ""
    item_type: str = ""
    parent: UUID | None = None
    sort_order: int = 0
    extra: dict = dataclasses.field(default_factory=dict)
    # Where the node came from in its file ("line 12", "CFItems[3]"), for error messages.
    source_ref: str = ""


@dataclasses.dataclass(slots=True)
class AssociationSpec:
    """A non-tree association (CASE isPeerOf, exactMatchOf, …) between two node identifiers or URIs."""

    identifier: UUID
    association_type: str
    origin: str
    destination: str
    sequence_number: int | None = None
    extra: dict = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class FrameworkSpec:
    """A whole framework: metadata, scale, tree nodes (in any order) and other associations."""

    identifier: UUID
    title_fr: str = ""
    title_en: str = ""
    description_fr: str = ""
    description_en: str = ""
    version: str = ""
    publisher: str = ""
    source: str = ""
    licence: str = ""
    licence_uri: str = ""
    uri: str = ""
    language: str = ""
    builtin: bool = False
    levels: list[LevelSpec] = dataclasses.field(default_factory=list)
    competences: list[CompetenceSpec] = dataclasses.field(default_factory=list)
    associations: list[AssociationSpec] = dataclasses.field(default_factory=list)
    extra: dict = dataclasses.field(default_factory=dict)
