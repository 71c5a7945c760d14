"""
The frameworks shipped with the plugin: UNESCO ICT-CFT v3, DigCompEdu, CRCN and C2i2e.

Each lives in ``competency_plugin/builtin_frameworks/<slug>.json`` (format described in the
README.rst there), read through ``importlib.resources`` so that it works from an installed
wheel. Identifiers are literal UUIDs in the files, derived once with ``uuid5`` from
``BUILTIN_NAMESPACE``; because they never change, reloading after an upgrade updates the same
rows, and the claims learners made on them keep pointing at the same competences.
"""
import json
import logging
from importlib import resources
from uuid import UUID, uuid5

from django.db import transaction

from competency_plugin.exceptions import CompetencyInternalError
from competency_plugin.frameworks.models import Framework
from competency_plugin.frameworks.services import save_framework
from competency_plugin.frameworks.spec import CompetenceSpec, FrameworkSpec, LevelSpec

log = logging.getLogger(__name__)

# Namespace of the built-in identifiers: uuid5(BUILTIN_NAMESPACE, slug) for a framework,
# uuid5(BUILTIN_NAMESPACE, f"{slug}/{code}") for a node. Never change it.
BUILTIN_NAMESPACE = UUID("71306827-e969-49f7-ba4d-3e6827e22971")
_DIRECTORY = "builtin_frameworks"


def builtin_identifier(slug, code=None):
    """Return the identifier a built-in framework (``code`` None) or one of its nodes was given."""
    return uuid5(BUILTIN_NAMESPACE, slug if code is None else f"{slug}/{code}")


def _directory():
    return resources.files("competency_plugin").joinpath(_DIRECTORY)


def builtin_slugs():
    """Return the slugs of the shipped frameworks, sorted (one ``<slug>.json`` file each)."""
    return sorted(entry.name[: -len(".json")] for entry in _directory().iterdir() if entry.name.endswith(".json"))


def read_builtin(slug):
    """Return the decoded JSON document of the built-in framework ``slug``."""
    try:
        return json.loads(_directory().joinpath(f"{slug}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CompetencyInternalError(f"Cannot read built-in framework {slug!r}: {error}") from error


def _competence_specs(nodes, slug, parent=None, where="competences"):
    """Flatten the nested ``competences`` of a file into ``CompetenceSpec`` items, parents first."""
    specs = []
    for position, node in enumerate(nodes):
        ref = f"{slug}.json {where}[{position}]"
        specs.append(CompetenceSpec(
            identifier=UUID(node["identifier"]),
            code=node["code"],
            title_fr=node["title"]["fr"],
            title_en=node["title"]["en"],
            description_fr=node.get("description", {}).get("fr", ""),
            description_en=node.get("description", {}).get("en", ""),
            item_type=node["item_type"],
            parent=parent,
            sort_order=position,
            extra=dict(node.get("extra", {})),
            source_ref=ref,
        ))
        children = node.get("children", [])
        specs += _competence_specs(children, slug, UUID(node["identifier"]), f"{where}[{position}].children")
    return specs


def builtin_spec(document):
    """
    Convert the JSON ``document`` of a built-in framework into a ``FrameworkSpec`` (builtin=True).

    Level ``extra`` (e.g. a flag on an unknown label) goes to the framework's
    ``extra["level_extra"][code]``, as ``LevelSpec`` has no extra of its own.
    """
    slug = document["slug"]
    try:
        levels, level_extra = [], {}
        for level in document.get("levels", []):
            levels.append(LevelSpec(
                code=level["code"],
                label_fr=level["label"]["fr"],
                label_en=level["label"]["en"],
                proficient=bool(level["proficient"]),
            ))
            if level.get("extra"):
                level_extra[level["code"]] = level["extra"]
        extra = {**document.get("extra", {}), "builtin_slug": slug}
        if level_extra:
            extra["level_extra"] = level_extra
        return FrameworkSpec(
            identifier=UUID(document["identifier"]),
            title_fr=document["title"]["fr"],
            title_en=document["title"]["en"],
            description_fr=document["description"]["fr"],
            description_en=document["description"]["en"],
            version=document["version"],
            publisher=document["publisher"],
            source=document["source"],
            licence=document["licence"],
            licence_uri=document.get("licence_uri", ""),
            uri=document.get("uri", ""),
            language=document["language"],
            builtin=True,
            levels=levels,
            competences=_competence_specs(document["competences"], slug),
            extra=extra,
        )
    except (KeyError, TypeError, ValueError) as error:
        raise CompetencyInternalError(f"Malformed built-in framework {slug!r}: {error!r}") from error


def builtin_specs():
    """Return the ``FrameworkSpec`` of every shipped framework, in slug order."""
    return [builtin_spec(read_builtin(slug)) for slug in builtin_slugs()]


@transaction.atomic
def load_builtin_frameworks():
    """
    Create or update every built-in framework, all or nothing; safe to run again.

    Returns:
        One dict per framework, in slug order: ``slug``, ``identifier`` (str), ``title``,
        ``created`` (False when it was already there and got updated), ``competences`` and
        ``levels`` (how many are stored, retired nodes left out).
    Raises:
        CompetencyInternalError: a shipped file is unreadable or malformed.
        CompetencyRequestError, CompetencyConflictError: ``save_framework`` rejected a file
            (the load is rolled back: no framework is changed).
    """
    results = []
    for spec in builtin_specs():
        created = not Framework.objects.filter(identifier=spec.identifier).exists()
        stored = save_framework(spec)
        result = {
            "slug": spec.extra["builtin_slug"],
            "identifier": str(stored.identifier),
            "title": stored.title_fr or stored.title_en,
            "created": created,
            "competences": stored.competence_count,
            "levels": len(stored.levels),
        }
        log.info("Built-in framework %s %s", result["slug"], "created" if created else "updated")
        results.append(result)
    return results
