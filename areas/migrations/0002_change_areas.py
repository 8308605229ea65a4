from django.db import migrations

from areas.catalogue import ensure_change_areas


def create(apps, schema_editor):
    ensure_change_areas(apps.get_model("areas", "ChangeArea"))


class Migration(migrations.Migration):
    dependencies = [("areas", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
