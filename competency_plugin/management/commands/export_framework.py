"""``manage.py export_framework IDENTIFIER --format case|moodle-csv``: write a framework to a file."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from competency_plugin import api


class Command(BaseCommand):
    """Export a competence framework as a CASE 1.1 package (JSON) or a Moodle competency framework CSV."""

    help = (
        "Write a competence framework as CASE 1.1 CFPackage JSON or as Moodle competency framework CSV, "
        "to standard output or to the file given with -o."
    )

    def add_arguments(self, parser):
        """Declare the command's arguments."""
        parser.add_argument("identifier", help="The framework's identifier (a UUID).")
        parser.add_argument("--format", required=True, choices=api.FRAMEWORK_EXPORT_FORMATS, help="The file format.")
        parser.add_argument("-o", "--output", help="The file to write (default: standard output).")
        parser.add_argument(
            "--language", choices=("fr", "en"),
            help="Language written where the format holds one (default: the framework's).",
        )
        parser.add_argument(
            "--base-url",
            help="The site whose CASE provider serves the framework (e.g. https://lms.example.org): CASE objects "
                 "without a URI of their own get their URL there (default: LMS_ROOT_URL; without it, urn:uuid URIs).",
        )

    def handle(self, *args, **options):
        """Call the API; turn its errors into ``CommandError``."""
        try:
            text = api.export_framework(
                options["identifier"], options["format"], language=options["language"],
                base_url=api.case_provider_root(options["base_url"]),
            )
        except api.CompetencyError as error:
            raise CommandError(str(error)) from error
        if not options["output"]:
            self.stdout.write(text, ending="")
            return
        path = Path(options["output"])
        try:
            path.write_text(text, encoding="utf-8", newline="")
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror or error}") from error
        self.stderr.write(f"Wrote {path}.")
