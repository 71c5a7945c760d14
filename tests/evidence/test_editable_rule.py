"""The editable/deletable rules: defined once in the evidence room, read by the XBlock and enforced by the services."""
import dataclasses

import pytest

from competency_plugin import api
from competency_plugin.evidence.models import is_deletable, is_editable


def item(status, version):
    fields = {field.name: None for field in dataclasses.fields(api.EvidenceData)
              if field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING}
    return api.EvidenceData(**{**fields, "status": status, "version": version})


@pytest.mark.parametrize("status, version, editable, deletable", [
    ("draft", 0, True, True),
    ("draft", 2, True, False),
    ("revision_requested", 1, True, False),
    ("submitted", 1, False, False),
    ("accepted", 1, False, False),
])
def test_rules(status, version, editable, deletable):
    assert (is_editable(status), is_deletable(status, version)) == (editable, deletable)
    assert (item(status, version).editable, item(status, version).deletable) == (editable, deletable)
