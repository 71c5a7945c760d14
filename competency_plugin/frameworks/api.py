"""The frameworks room's public names, gathered by ``competency_plugin.api``."""
from competency_plugin.frameworks.builtin import load_builtin_frameworks
from competency_plugin.frameworks.data import CompetenceData, CompetenceOption, FrameworkData, LevelData
from competency_plugin.frameworks.formats import EXPORT_FORMATS as FRAMEWORK_EXPORT_FORMATS
from competency_plugin.frameworks.formats import IMPORT_FORMATS as FRAMEWORK_IMPORT_FORMATS
from competency_plugin.frameworks.formats.case import package_errors as case_package_errors
from competency_plugin.frameworks.provider import DEFINITION_KINDS as CASE_DEFINITION_KINDS
from competency_plugin.frameworks.provider import (
    case_association,
    case_definition,
    case_document,
    case_documents,
    case_item,
    case_item_associations,
    case_item_url,
    case_package,
    case_provider_root,
)
from competency_plugin.frameworks.services import (
    export_framework,
    framework_to_spec,
    get_framework_data,
    get_framework_tree,
    import_framework,
    list_frameworks,
    save_framework,
)
from competency_plugin.frameworks.spec import AssociationSpec, CompetenceSpec, FrameworkSpec, LevelSpec

__all__ = [
    "load_builtin_frameworks",
    "CompetenceData",
    "CompetenceOption",
    "FrameworkData",
    "LevelData",
    "FRAMEWORK_EXPORT_FORMATS",
    "FRAMEWORK_IMPORT_FORMATS",
    "CASE_DEFINITION_KINDS",
    "case_association",
    "case_definition",
    "case_document",
    "case_documents",
    "case_item",
    "case_item_associations",
    "case_item_url",
    "case_package",
    "case_package_errors",
    "case_provider_root",
    "export_framework",
    "framework_to_spec",
    "get_framework_data",
    "get_framework_tree",
    "import_framework",
    "list_frameworks",
    "save_framework",
    "AssociationSpec",
    "CompetenceSpec",
    "FrameworkSpec",
    "LevelSpec",
]
