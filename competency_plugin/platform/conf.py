"""The operator's knobs: one ``COMPETENCY_PORTFOLIO`` settings dict, with documented defaults."""
from django.conf import settings

MB = 1024 * 1024

DEFAULTS = {
    # Name of the entry of ``STORAGES`` that holds attachments; the default storage when absent.
    "STORAGE": "competency_portfolio",
    # Prefix of the generated keys under which attachments are stored.
    "STORAGE_PREFIX": "competency-portfolio",
    # Instance-wide upper bounds; a block may lower them, never raise them.
    "MAX_FILE_SIZE": 10 * MB,
    "MAX_FILES_PER_EVIDENCE": 5,
    "MAX_LINKS_PER_EVIDENCE": 10,
    "MAX_EVIDENCE_PER_BLOCK": 50,
    # File kinds learners may upload (see ``competency_plugin.platform.filetypes.KINDS``).
    "ALLOWED_FILE_KINDS": ["pdf", "image", "office", "text", "audio", "video"],
    # Chunked uploads (slow links): the size of each chunk, well under the LMS's 4 MB request cap
    # (``STUDENT_FILEUPLOAD_MAX_SIZE``), and how long an unfinished upload is kept, in seconds.
    "UPLOAD_CHUNK_SIZE": 256 * 1024,
    "UPLOAD_EXPIRY": 24 * 60 * 60,
    # Whether learners are e-mailed (in their language) when a reviewer decides on their evidence.
    "NOTIFY_LEARNERS": False,
    # Whether the plugin takes part in certificate generation: its step in the LMS's certificate
    # filter (``OPEN_EDX_FILTERS_CONFIG``), which courses then switch on in their attestation
    # policy; a system check (``competency_plugin.E001``) reports the step missing from the final
    # settings. False: no step, no check, and the policies' certificate gate has no effect.
    "CERTIFICATE_GATE": True,
    # Hours a situation given to a peer stays theirs to answer: a reading left unanswered then stops
    # holding the situation back from other readers (peer feedback, ``peer.allocation``).
    "PEER_READING_HOURS": 72,
    # Verifiable credentials (docs/decisions/0014-verifiable-credentials.rst). The issuer the
    # credentials name: its name (default: ``PLATFORM_NAME``), web site (default: the LMS) and the
    # URL of its image (none by default).
    "CREDENTIAL_ISSUER_NAME": "",
    "CREDENTIAL_ISSUER_URL": "",
    "CREDENTIAL_ISSUER_IMAGE": "",
    # The public root URL of the credentials, their status list, the issuer's keys and the CASE
    # items alignments point to (default: ``LMS_ROOT_URL``).
    "CREDENTIAL_BASE_URL": "",
    # The directory holding the private signing keys (``<name>.pem``, created by the command
    # ``create_credential_key``), readable by the LMS only; and the name of the key that signs.
    # Credentials cannot be claimed while either is empty.
    "CREDENTIAL_KEY_DIR": "",
    "CREDENTIAL_SIGNING_KEY": "",
}


def get_setting(name):
    """Return one knob: the operator's value, else the default."""
    configured = getattr(settings, "COMPETENCY_PORTFOLIO", None) or {}
    return configured.get(name, DEFAULTS[name])
