"""The verifiable-credentials room's public names, gathered by ``competency_plugin.api``."""
from competency_plugin.credentials.data import CredentialData, CredentialVerification
from competency_plugin.credentials.keys import controller_document, create_key, signing_configured
from competency_plugin.credentials.services import (
    claim_credential,
    credential_course,
    credential_page,
    erase_learner_credentials,
    export_credentials,
    get_public_credential,
    list_credentials,
    revoke_credential,
    verify_credential,
)
from competency_plugin.credentials.status import status_list_credential

__all__ = [
    "CredentialData",
    "CredentialVerification",
    "controller_document",
    "create_key",
    "signing_configured",
    "claim_credential",
    "credential_course",
    "credential_page",
    "erase_learner_credentials",
    "export_credentials",
    "get_public_credential",
    "list_credentials",
    "revoke_credential",
    "verify_credential",
    "status_list_credential",
]
