"""The StudentModule table of the test-only app (a migration, so that it follows the user table on MySQL)."""
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """Create ``StudentModule``."""

    initial = True

    dependencies = [migrations.swappable_dependency(settings.AUTH_USER_MODEL)]

    operations = [
        migrations.CreateModel(
            name="StudentModule",
            fields=[
                ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("course_id", models.CharField(db_index=True, max_length=255)),
                ("module_state_key", models.CharField(db_index=True, max_length=255)),
                ("module_type", models.CharField(default="problem", max_length=32)),
                ("state", models.TextField(blank=True, null=True)),
                ("grade", models.FloatField(blank=True, null=True)),
                ("max_grade", models.FloatField(blank=True, null=True)),
                ("created", models.DateTimeField(auto_now_add=True)),
                ("modified", models.DateTimeField(auto_now=True)),
                ("student", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL)),
            ],
            options={"unique_together": {("student", "module_state_key", "course_id")}},
        ),
    ]
