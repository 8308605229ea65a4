"""The evidence audit log moves into the one audit trail (audit.AuditEvent); rows are copied with
their time, person, address and detail, then the old table goes."""

from django.db import migrations


def copy_events(apps, schema_editor):
    Old = apps.get_model("evidence", "AuditEvent")
    New = apps.get_model("audit", "AuditEvent")
    batch = []
    for old in Old.objects.select_related("actor", "evidence", "version", "assessment").order_by("pk").iterator():
        data = {"assessment": str(old.assessment.code)}
        if old.version_id:
            data["version"] = str(old.version.code)
            data["version_number"] = old.version.number
        batch.append(New(
            created_at=old.created_at, actor_id=old.actor_id, actor_label=old.actor.username,
            unit_id=old.assessment.unit_id, action=old.action, object_type="evidence",
            object_id=str(old.evidence.code), object_label=old.evidence.title[:300], detail=old.detail,
            data=data, ip_address=old.ip_address,
        ))
        if len(batch) >= 1000:
            New.objects.bulk_create(batch)
            batch = []
    New.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0002_versions"),
        ("audit", "0002_append_only_trigger"),
    ]
    operations = [
        migrations.RunPython(copy_events, migrations.RunPython.noop),
        migrations.DeleteModel(name="AuditEvent"),
    ]
