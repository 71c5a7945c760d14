"""The Moodle CSV columns, their positions, and the namespace of identifiers derived from ID numbers."""
from __future__ import annotations

from uuid import UUID

# Namespace of the identifiers derived from a framework's ID number. Never change it.
MOODLE_NAMESPACE = UUID("d708a08f-31d8-430f-9724-32de354144a0")
COLUMNS = (
    "Parent id number", "Id number", "Shortname", "Description", "Description format", "Scale values",
    "Scale configuration", "Rule type (optional)", "Rule outcome (optional)", "Rule config (optional)",
    "Cross referenced competency id numbers", "Exported id (optional)", "Is framework", "Taxonomy",
)
(PARENT, IDNUMBER, SHORTNAME, DESCRIPTION, FORMAT, SCALE_VALUES, SCALE_CONFIGURATION, RULE_TYPE, RULE_OUTCOME,
 RULE_CONFIG, RELATED, EXPORTED_ID, IS_FRAMEWORK, TAXONOMY) = range(len(COLUMNS))
RELATED_TYPE = "isRelatedTo"
FORMAT_HTML, FORMAT_PLAIN = "1", "2"
MAX_IDNUMBER, MAX_SHORTNAME = 100, 100
# Columns of a competence row kept as they are, to be written back.
_KEPT = {
    "description_format": FORMAT, "scale_values": SCALE_VALUES, "scale_configuration": SCALE_CONFIGURATION,
    "rule_type": RULE_TYPE, "rule_outcome": RULE_OUTCOME, "rule_config": RULE_CONFIG, "exported_id": EXPORTED_ID,
    "taxonomy": TAXONOMY,
}
