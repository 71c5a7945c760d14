"""
OEP-30 PII annotations: every model of the plugin says in its docstring whether it holds
personal data (``.. no_pii:``) or which (``.. pii:`` with ``.. pii_types:`` and
``.. pii_retirement:``), checked here without code_annotations (``.pii_annotations.yml`` is
its configuration for operators who run it).
"""
import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

PII_TYPES = {
    "id", "name", "username", "password", "location", "phone_number", "email_address", "birth_date",
    "ethnicity", "gender", "biography", "ip", "sex", "image", "video", "other",
}
RETIREMENT = {"retained", "local_api", "consumer_api", "third_party"}
MODELS = sorted(apps.get_app_config("competency_plugin").get_models(), key=lambda model: model.__name__)


def annotations(model):
    """{token: text} of the ``.. token: text`` lines of the model's own docstring."""
    lines = re.findall(r"^\s*\.\. (no_pii|pii|pii_types|pii_retirement):(.*)$", model.__doc__ or "", re.M)
    return {token: value.strip() for token, value in lines}


def _values(text):
    return {value.strip() for value in text.split(",") if value.strip()}


def test_the_app_has_models():
    names = {model.__name__ for model in MODELS}
    assert {"Evidence", "Attachment", "ReviewDecision", "EligibilityRecord", "ReviewAuditRecord"} <= names


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_every_model_is_annotated_once(model):
    found = annotations(model)
    assert ("pii" in found) != ("no_pii" in found), f"{model.__name__} needs exactly one of .. pii: / .. no_pii:"


@pytest.mark.parametrize(
    "model", [model for model in MODELS if "pii" in annotations(model)], ids=lambda model: model.__name__
)
def test_pii_models_say_what_and_how_it_is_retired(model):
    found = annotations(model)
    assert found["pii"], f"{model.__name__}: describe the personal data after .. pii:"
    assert _values(found.get("pii_types", "")) and _values(found["pii_types"]) <= PII_TYPES, found
    assert _values(found.get("pii_retirement", "")) and _values(found["pii_retirement"]) <= RETIREMENT, found


@pytest.mark.parametrize("model", [model for model in MODELS if "no_pii" in annotations(model)],
                         ids=lambda model: model.__name__)
def test_no_pii_models_carry_no_pii_details(model):
    assert not {"pii_types", "pii_retirement"} & set(annotations(model)), model.__name__


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_models_linked_to_accounts_declare_an_id(model):
    """A model with a foreign key to the user model holds an account id: its annotation must say so."""
    user_model = get_user_model()
    if any(field.is_relation and field.related_model is user_model for field in model._meta.concrete_fields):
        found = annotations(model)
        assert "id" in _values(found.get("pii_types", "")), f"{model.__name__} links to accounts: declare pii_types id"
        assert "local_api" in _values(found.get("pii_retirement", "")), model.__name__


def test_annotations_are_read_from_the_docstring_lines():
    class Annotated:  # pylint: disable=too-few-public-methods
        """
        Sample.

        .. pii: Text.
        .. pii_types: id, other
        .. pii_retirement: local_api
        """

    assert annotations(Annotated) == {"pii": "Text.", "pii_types": "id, other", "pii_retirement": "local_api"}
    assert annotations(type("Bare", (), {"__doc__": "No annotation."})) == {}
