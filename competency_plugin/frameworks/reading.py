"""
Read stored frameworks back: rows to the plain data the API returns (``FrameworkData``,
``CompetenceData``, ``LevelData``) and to a ``FrameworkSpec`` (for export).
"""
from __future__ import annotations

from collections import defaultdict
from uuid import UUID

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from competency_plugin.exceptions import CompetencyNotFoundError
from competency_plugin.frameworks.data import CompetenceData, FrameworkData, LevelData
from competency_plugin.frameworks.models import Competence, Framework
from competency_plugin.frameworks.spec import AssociationSpec, CompetenceSpec, FrameworkSpec, LevelSpec
from competency_plugin.frameworks.validation import _COMPETENCE_TEXT_FIELDS, _FRAMEWORK_TEXT_FIELDS

# --- Reading ----------------------------------------------------------------------------------


def _frameworks():
    return Framework.objects.annotate(
        competence_total=Count("competences", distinct=True),
        competence_retired=Count("competences", filter=Q(competences__extra__retired=True), distinct=True),
    ).prefetch_related("levels")


def _get_framework(identifier, queryset=None):
    queryset = Framework.objects if queryset is None else queryset
    try:
        key = identifier if isinstance(identifier, UUID) else UUID(str(identifier).strip())
    except (TypeError, ValueError) as error:
        raise CompetencyNotFoundError(_("No framework has the identifier {identifier}.").format(
            identifier=identifier
        )) from error
    framework = queryset.filter(identifier=key).first()
    if framework is None:
        raise CompetencyNotFoundError(_("No framework has the identifier {identifier}.").format(identifier=key))
    return framework


def level_to_data(level):
    """Return the plain data of a proficiency level row."""
    return LevelData(
        code=level.code,
        label_fr=level.label_fr,
        label_en=level.label_en,
        order=level.order,
        proficient=level.proficient,
    )


def competence_to_data(row, parent=None, children=()):
    """Return the plain data of a competence row (``parent`` is the parent's identifier)."""
    return CompetenceData(
        identifier=row.identifier,
        code=row.code,
        title_fr=row.title_fr,
        title_en=row.title_en,
        description_fr=row.description_fr,
        description_en=row.description_en,
        item_type=row.item_type,
        parent=parent,
        depth=row.depth,
        sort_order=row.sort_order,
        path=row.path,
        retired=bool((row.extra or {}).get("retired")),
        children=tuple(children),
    )


def framework_to_data(framework, competences=()):
    """Return the plain data of a framework row annotated by ``_frameworks()``."""
    return FrameworkData(
        identifier=framework.identifier,
        uri=framework.uri,
        title_fr=framework.title_fr,
        title_en=framework.title_en,
        description_fr=framework.description_fr,
        description_en=framework.description_en,
        version=framework.version,
        publisher=framework.publisher,
        source=framework.source,
        licence=framework.licence,
        licence_uri=framework.licence_uri,
        language=framework.language,
        builtin=framework.builtin,
        competence_count=framework.competence_total - framework.competence_retired,
        created=framework.created,
        modified=framework.modified,
        levels=tuple(level_to_data(level) for level in framework.levels.all()),
        competences=tuple(competences),
    )


def list_frameworks() -> list[FrameworkData]:
    """Return every framework as a summary (metadata, scale, number of current nodes), by title."""
    return [framework_to_data(framework) for framework in _frameworks()]


def get_framework_data(identifier) -> FrameworkData:
    """
    Return the summary of one framework (no tree).

    Raises:
        CompetencyNotFoundError: no framework has this identifier.
    """
    return framework_to_data(_get_framework(identifier, _frameworks()))


def get_framework_tree(identifier, *, include_retired=False) -> FrameworkData:
    """
    Return one framework with its tree.

    ``competences`` are the top-level nodes, each with its ``children``, in reading order.
    Retired nodes are left out unless ``include_retired``.

    Raises:
        CompetencyNotFoundError: no framework has this identifier.
    """
    framework = _get_framework(identifier, _frameworks())
    rows = [
        row for row in Competence.objects.filter(framework=framework).order_by("path", "id")
        if include_retired or not (row.extra or {}).get("retired")
    ]
    identifiers = {row.pk: row.identifier for row in rows}
    children = defaultdict(list)
    for row in rows:
        children[row.parent_id if row.parent_id in identifiers else None].append(row)

    def build(row):
        return competence_to_data(
            row, identifiers.get(row.parent_id), [build(child) for child in children.get(row.pk, ())]
        )

    return framework_to_data(framework, [build(row) for row in children[None]])


def framework_to_spec(identifier) -> FrameworkSpec:
    """
    Read a stored framework back into a ``FrameworkSpec`` for the exporters (retired nodes left out).

    Nodes come in tree order with their stored ``sort_order``; levels in scale order.

    Raises:
        CompetencyNotFoundError: no framework has this identifier.
    """
    framework = _get_framework(identifier)
    rows = [
        row for row in Competence.objects.filter(framework=framework).order_by("path", "id")
        if not (row.extra or {}).get("retired")
    ]
    identifiers = {row.pk: row.identifier for row in rows}
    return FrameworkSpec(
        identifier=framework.identifier,
        **{field: getattr(framework, field) for field in _FRAMEWORK_TEXT_FIELDS},
        builtin=framework.builtin,
        levels=[
            LevelSpec(code=level.code, label_fr=level.label_fr, label_en=level.label_en, proficient=level.proficient)
            for level in framework.levels.order_by("order", "id")
        ],
        competences=[
            CompetenceSpec(
                identifier=row.identifier,
                **{field: getattr(row, field) for field in _COMPETENCE_TEXT_FIELDS},
                parent=identifiers.get(row.parent_id),
                sort_order=row.sort_order,
                extra=dict(row.extra or {}),
            )
            for row in rows
        ],
        associations=[
            AssociationSpec(
                identifier=row.identifier,
                association_type=row.association_type,
                origin=row.origin,
                destination=row.destination,
                sequence_number=row.sequence_number,
                extra=dict(row.extra or {}),
            )
            for row in framework.associations.order_by("id")
        ],
        extra=dict(framework.extra or {}),
    )
