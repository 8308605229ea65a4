"""Instansi becomes a model: one row per distinct text of the old Unit.instansi field.

Steps (small and reversible in intent): create Instansi, add a nullable foreign key, fill it from
the text, drop the text field, rename the key to `instansi` and make it required.
"""

import uuid

import django.db.models.deletion
from django.db import migrations, models


def fill_instansi(apps, schema_editor):
    Instansi = apps.get_model("accounts", "Instansi")
    Unit = apps.get_model("accounts", "Unit")
    for unit in Unit.objects.all():
        name = (unit.instansi or "").strip() or "Instansi tanpa nama"
        lowered = name.lower()
        kind = "pemda" if lowered.startswith(("pemerintah kota", "pemerintah kabupaten", "pemerintah provinsi",
                                              "pemkot", "pemkab", "pemprov")) else "kl"
        instansi, _ = Instansi.objects.get_or_create(name=name, defaults={"type": kind, "code": uuid.uuid4()})
        unit.instansi_ref = instansi
        unit.save(update_fields=["instansi_ref"])


def fill_text(apps, schema_editor):
    Unit = apps.get_model("accounts", "Unit")
    for unit in Unit.objects.select_related("instansi_ref"):
        unit.instansi = unit.instansi_ref.name
        unit.save(update_fields=["instansi"])


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0003_user_language"),
    ]

    operations = [
        migrations.CreateModel(
            name="Instansi",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("name", models.CharField(max_length=200, unique=True, verbose_name="nama instansi")),
                ("type", models.CharField(choices=[("kl", "Kementerian/Lembaga"), ("pemda", "Pemerintah Daerah")],
                                          default="kl", max_length=5, verbose_name="jenis instansi")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "verbose_name": "instansi",
                "verbose_name_plural": "instansi",
                "ordering": ["name"],
                "constraints": [models.CheckConstraint(condition=models.Q(("type__in", ["kl", "pemda"])),
                                                       name="instansi_type_valid")],
            },
        ),
        migrations.AddField(
            model_name="unit",
            name="instansi_ref",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    to="accounts.instansi"),
        ),
        migrations.RunPython(fill_instansi, fill_text),
        migrations.RemoveConstraint(model_name="unit", name="unit_name_unique_per_instansi"),
        migrations.RemoveField(model_name="unit", name="instansi"),
        migrations.RenameField(model_name="unit", old_name="instansi_ref", new_name="instansi"),
        migrations.AlterField(
            model_name="unit",
            name="instansi",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="units",
                                    to="accounts.instansi", verbose_name="instansi"),
        ),
        migrations.AlterModelOptions(
            name="unit",
            options={"ordering": ["instansi__name", "name"], "verbose_name": "unit kerja",
                     "verbose_name_plural": "unit kerja"},
        ),
        migrations.AddConstraint(
            model_name="unit",
            constraint=models.UniqueConstraint(fields=("instansi", "name"), name="unit_name_unique_per_instansi"),
        ),
    ]
