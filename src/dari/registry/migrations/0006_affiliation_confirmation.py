"""Affiliations get a confirmation (security issue 20, finding 1).

Before this, any member of an organization could attach anyone to it, so an existing affiliation is
not trusted blindly: it is confirmed at the upgrade only when the audit log shows it was not such a
claim (no creation entry: the scenario, the admin or an import; made by staff; made by the person
themself; or made together with the person, by an organization registering its own people). The
others stay unconfirmed: they grant nothing until the person or staff confirms them, and staff find
them on /organizations/affiliations/awaiting/.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import Q
from django.utils import timezone


def trusted_affiliation_ids(apps) -> list[int]:
    Affiliation = apps.get_model("registry", "Affiliation")
    AuditEntry = apps.get_model("accounts", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Membership = apps.get_model("accounts", "Membership")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    types = {
        content_type.model: content_type.pk
        for content_type in ContentType.objects.filter(app_label="registry", model__in=["affiliation", "person"])
    }
    created_by = dict(
        AuditEntry.objects.filter(
            object_type_id=types.get("affiliation"),
            action__in=["registry.affiliation.created", "registry.affiliation.requested"],
        ).values_list("object_id", "actor_id")
    )
    people_created_by = set(
        AuditEntry.objects.filter(object_type_id=types.get("person"), action="registry.person.created").values_list(
            "object_id", "actor_id"
        )
    )
    staff = set(User.objects.filter(Q(is_staff=True) | Q(is_superuser=True)).values_list("pk", flat=True))
    staff |= set(Membership.objects.filter(role="staff", scope_id__isnull=True).values_list("user_id", flat=True))
    trusted = []
    for pk, person_id, person_user_id in Affiliation.objects.values_list("pk", "person_id", "person__user_id"):
        if pk not in created_by:
            trusted.append(pk)
            continue
        actor = created_by[pk]
        if actor is None or actor in staff or actor == person_user_id or (person_id, actor) in people_created_by:
            trusted.append(pk)
    return trusted


def confirm_existing(apps, schema_editor):
    apps.get_model("registry", "Affiliation").objects.filter(pk__in=trusted_affiliation_ids(apps)).update(
        confirmed_at=timezone.now()
    )


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0005_affiliation_updated_at'),
        ('accounts', '0003_invitations_registrations_api_tokens'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='affiliation',
            name='confirmed_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='confirmed at'),
        ),
        migrations.AddField(
            model_name='affiliation',
            name='confirmed_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='confirmed by'),
        ),
        migrations.RunPython(confirm_existing, migrations.RunPython.noop),
    ]
