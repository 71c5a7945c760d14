"""The leaf-only rule of claims: enforced by the evidence services, read by the XBlock through the API."""
import uuid

import pytest

from competency_plugin import api
from competency_plugin.evidence.claims import parse_claims

DOMAIN, FIRST, SECOND, OTHER = (uuid.uuid4() for _ in range(4))


def option(identifier, depth):
    return api.CompetenceOption(identifier=identifier, code="", title_fr="t", title_en="t", depth=depth)


# A domain with two competences, then a lone competence: in tree order, as selectable_competences gives them.
OPTIONS = [option(DOMAIN, 0), option(FIRST, 1), option(SECOND, 1), option(OTHER, 0)]


def test_only_leaves_are_claimable():
    assert api.claimable_identifiers(OPTIONS) == {str(FIRST), str(SECOND), str(OTHER)}
    assert api.claimable_identifiers([]) == set()


def test_a_claim_on_a_leaf_is_accepted():
    assert parse_claims([{"competence": str(FIRST), "justification": " j "}], OPTIONS) == {str(FIRST): "j"}


def test_a_claim_on_a_node_with_sub_competences_is_a_field_error():
    with pytest.raises(api.CompetencyRequestError) as raised:
        parse_claims([{"competence": str(DOMAIN)}], OPTIONS)
    assert list(raised.value.field_errors) == ["competences"] and raised.value.field_errors["competences"]
