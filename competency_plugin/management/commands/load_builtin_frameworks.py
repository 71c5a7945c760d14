"""``manage.py load_builtin_frameworks``: create or update the frameworks shipped with the plugin."""
from django.core.management.base import BaseCommand, CommandError

from competency_plugin import api


class Command(BaseCommand):
    """Load UNESCO ICT-CFT v3, DigCompEdu, CRCN and C2i2e; run it again after every upgrade."""

    help = (
        "Create or update the built-in competence frameworks (UNESCO ICT-CFT v3, DigCompEdu, CRCN, C2i2e). "
        "Idempotent: identifiers are stable, so learners' claims keep their competences."
    )

    def handle(self, *args, **options):
        """Load the frameworks; print one line per framework."""
        try:
            results = api.load_builtin_frameworks()
        except api.CompetencyError as error:
            raise CommandError(str(error)) from error
        for result in results:
            state = "created" if result["created"] else "updated"
            self.stdout.write(
                f"{state} {result['slug']} ({result['identifier']}): {result['competences']} nodes, "
                f"{result['levels']} scale levels — {result['title']}"
            )
