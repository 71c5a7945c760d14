"""``manage.py import_framework PATH``: create or update a competence framework from a file."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from competency_plugin import api


class Command(BaseCommand):
    """Import a CASE package (JSON), a Moodle competency framework CSV or a Mahara SmartEvidence matrix."""

    help = (
        "Create a competence framework from a file, or update it in place when it was imported before "
        "(same identifiers). Formats: case (CASE 1.0/1.1 CFPackage JSON), moodle-csv (Moodle "
        "tool_lpimportcsv), mahara (SmartEvidence .matrix); guessed from the file when --format is not given. "
        "Moodle and Mahara files carry no language: their text is taken as English unless --language says otherwise."
    )

    def add_arguments(self, parser):
        """Declare the command's arguments."""
        parser.add_argument("path", help="The file to import.")
        parser.add_argument("--format", choices=api.FRAMEWORK_IMPORT_FORMATS, help="The file's format.")
        parser.add_argument(
            "--language", choices=("fr", "en"),
            help="Language of the file's text when the file does not say (default: en).",
        )

    def handle(self, *args, **options):
        """Call the API; turn its errors into ``CommandError``."""
        path = Path(options["path"])
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror or error}") from error
        try:
            framework = api.import_framework(
                content, format=options["format"], language=options["language"], filename=path.name
            )
        except api.CompetencyError as error:
            raise CommandError(f"{path.name}: {error}") from error
        self.stdout.write(
            f"Imported {framework.title('en')} ({framework.identifier}): "
            f"{framework.competence_count} competences, {len(framework.levels)} levels."
        )
