"""Load the prerequisite thresholds of each regulation from fixtures/persyaratan/*.json.

The rows are data: administrators correct them in the admin afterwards. Re-running only adds rows
that are missing (an edited row is never overwritten).
"""

import json
from pathlib import Path

from django.db import migrations

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "persyaratan"


def load(apps, schema_editor):
    Threshold = apps.get_model("portal", "PrerequisiteThreshold")
    for path in sorted(FIXTURES.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for row in data["thresholds"]:
            Threshold.objects.get_or_create(
                regulation=data["regulation"], predicate=row["predicate"], prerequisite=row["prerequisite"],
                instansi_type=row["instansi_type"],
                defaults={key: row[key] for key in ("minimum", "confirmed", "note", "lke_question_path", "order")},
            )


class Migration(migrations.Migration):

    dependencies = [
        ("portal", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
