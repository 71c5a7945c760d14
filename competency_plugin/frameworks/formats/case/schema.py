"""
1EdTech's official CASE 1.1 CFPackage JSON schema (``schemas/case-v1p1-cfpackage.json``, see its
README for source and licence), and the checks made with it.

``package_errors`` lists what keeps a package from validating, formats included (``uuid``,
``date-time``, ``date``: jsonschema's ``FormatChecker``, with ``rfc3339-validator`` for
date-times). ``fits`` says whether one value fits a property of one of the schema's classes: the
writer uses it to keep, of the fields an imported file carried, only those the schema allows
(the others travel in the plugin's extension).
"""
from __future__ import annotations

import functools
import json
from pathlib import Path

import jsonschema

SCHEMA_PATH = Path(__file__).with_name("schemas") / "case-v1p1-cfpackage.json"


@functools.lru_cache(maxsize=1)
def package_schema() -> dict:
    """The official CFPackage schema, parsed once."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=1)
def _validator():
    schema = package_schema()
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)


@functools.lru_cache(maxsize=64)
def _property_validator(definition, name):
    """
    A validator of property ``name`` of ``$defs/definition``, or of the package itself when
    ``definition`` is None; None when the class has no such property.
    """
    schema = package_schema()
    properties = (schema if definition is None else schema["$defs"][definition]).get("properties", {})
    if name not in properties:
        return None
    validator = _validator()
    return validator.evolve(schema={**properties[name], "$defs": schema["$defs"]})


def package_errors(package) -> list[str]:
    """What keeps ``package`` (parsed JSON) from validating: one line per error, with its JSON path; [] when valid."""
    return [
        f"{error.json_path}: {error.message}"
        for error in sorted(_validator().iter_errors(package), key=lambda error: list(error.absolute_path))
    ]


_ANNOTATIONS = {"description", "$comment"}


@functools.lru_cache(maxsize=64)
def _plain_text(definition, name):
    """Whether the property is any string (``{"type": "string"}``, nothing more): checked without jsonschema."""
    schema = package_schema()
    properties = (schema if definition is None else schema["$defs"][definition]).get("properties", {})
    rules = {key: value for key, value in properties.get(name, {}).items() if key not in _ANNOTATIONS}
    return rules == {"type": "string"}


@functools.lru_cache(maxsize=4096)
def _fits_scalar(definition, name, value):
    validator = _property_validator(definition, name)
    return validator is not None and validator.is_valid(value)


def fits(definition, name, value) -> bool:
    """
    Whether ``value`` is valid as property ``name`` of the schema's class ``definition`` (e.g.
    "CFPckgItem"; None for the package itself).

    A package repeats the same few values (dates, item types) on every item: plain strings and
    scalars are checked once.
    """
    if _plain_text(definition, name):
        return isinstance(value, str)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return _fits_scalar(definition, name, value)
    validator = _property_validator(definition, name)
    return validator is not None and validator.is_valid(value)


__all__ = ["SCHEMA_PATH", "fits", "package_errors", "package_schema"]
