"""Load the prerequisite thresholds of each regulation from fixtures/persyaratan/*.json.

The rows are data: administrators correct them in the admin afterwards.
"""

from django.db import migrations


def load(apps, schema_editor):
    from portal.thresholds import load_thresholds

    load_thresholds(apps.get_model("portal", "PrerequisiteThreshold"))


class Migration(migrations.Migration):

    dependencies = [
        ("portal", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
