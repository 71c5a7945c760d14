"""``manage.py lms create_credential_key NAME``: create an Ed25519 key that signs verifiable credentials."""
from django.core.management.base import BaseCommand, CommandError

from competency_plugin import api


class Command(BaseCommand):
    """Create a signing key: the private key in a file of ``CREDENTIAL_KEY_DIR``, the public key published."""

    help = (
        "Create an Ed25519 key for signing Open Badges 3.0 credentials: the private key goes to "
        "<CREDENTIAL_KEY_DIR>/<name>.pem (owner-only, never overwritten), the public key is published in the "
        "issuer's document. Then set COMPETENCY_PORTFOLIO['CREDENTIAL_SIGNING_KEY'] to the name to sign with it; "
        "keep the older keys' rows, so that the credentials they signed keep verifying."
    )

    def add_arguments(self, parser):
        """The key's name, and where to write it (default: the ``CREDENTIAL_KEY_DIR`` setting)."""
        parser.add_argument("name", help="A name for the key, e.g. 2026-12 (letters, digits, dots, dashes).")
        parser.add_argument("--directory", help="Write the private key here instead of CREDENTIAL_KEY_DIR.")

    def handle(self, *args, **options):
        """Create the key; print its public key and the setting to add."""
        try:
            key = api.create_key(name=options["name"], directory=options.get("directory"))
        except api.CompetencyError as error:
            raise CommandError(str(error.message)) from error
        self.stdout.write(f"Created key {key['name']}: publicKeyMultibase {key['public_key_multibase']}")
        self.stdout.write(f"Sign with it: COMPETENCY_PORTFOLIO['CREDENTIAL_SIGNING_KEY'] = {key['name']!r}")
