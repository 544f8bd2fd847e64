# The content type ``matching | meeting request`` becomes ``partnering | meeting request``: audit
# entries (AuditEntry.object_type), notices (Notification.subject_type) and permissions point at
# its row, so renaming the row, rather than letting Django create a new one, keeps them attached.
# A database where partnering's content type already exists keeps both rows as they are.

from django.db import migrations


def rename(apps, old_label: str, new_label: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    if ContentType.objects.filter(app_label=new_label, model="meetingrequest").exists():
        return
    ContentType.objects.filter(app_label=old_label, model="meetingrequest").update(app_label=new_label)


def to_partnering(apps, schema_editor):
    rename(apps, "matching", "partnering")


def to_matching(apps, schema_editor):
    rename(apps, "partnering", "matching")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("partnering", "0001_initial"),
        ("matching", "0005_meeting_requests_move_to_partnering"),
    ]

    operations = [migrations.RunPython(to_partnering, to_matching)]
