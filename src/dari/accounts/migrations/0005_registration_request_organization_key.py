"""A registration request's organization becomes a foreign key to the registry's organization.

The column keeps its name and its values. An id whose organization no longer exists is followed
through the registry's merge entries in the audit log ("registry.organization.merged" records the
organization kept as "<name> (#<id>, <key>)"), since merges were the only way an organization went
away before the key could follow it. An id that leads nowhere is cleared on a new-startup request
(the startup it created is gone) and a claim on it is deleted (a claim must name its organization;
the audit log keeps the request's record).
"""

import re

import django.db.models.deletion
from django.db import migrations, models

MERGED_INTO = re.compile(r"\(#(\d+), ")


def surviving_organization(apps, organization_id, existing):
    """The organization ``organization_id`` is now: itself, the one it was merged into (again and
    again), or None."""
    AuditEntry = apps.get_model("accounts", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    organization_type = ContentType.objects.filter(app_label="registry", model="organization").first()
    seen = set()
    while organization_id not in existing:
        if organization_type is None or organization_id in seen:
            return None
        seen.add(organization_id)
        entry = (
            AuditEntry.objects.filter(
                object_type=organization_type,
                object_id=organization_id,
                action="registry.organization.merged",
            )
            .order_by("-created_at", "-pk")
            .first()
        )
        merged_into = (entry.changes.get("merged_into") or [None, None])[-1] if entry else None
        match = MERGED_INTO.search(merged_into or "")
        if match is None:
            return None
        organization_id = int(match.group(1))
    return organization_id


def point_at_existing_organizations(apps, schema_editor):
    RegistrationRequest = apps.get_model("accounts", "RegistrationRequest")
    Organization = apps.get_model("registry", "Organization")
    existing = set(Organization.objects.values_list("pk", flat=True))
    for request in RegistrationRequest.objects.exclude(organization_id=None).exclude(
        organization_id__in=existing
    ):
        found = surviving_organization(apps, request.organization_id, existing)
        if found is not None:
            RegistrationRequest.objects.filter(pk=request.pk).update(organization_id=found)
        elif request.kind == "claim":
            request.delete()
        else:
            RegistrationRequest.objects.filter(pk=request.pk).update(organization_id=None)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_dates_within_bounds"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("registry", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(point_at_existing_organizations, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="registrationrequest", name="registration_claim_names_organization"
        ),
        migrations.RenameField(
            model_name="registrationrequest", old_name="organization_id", new_name="organization"
        ),
        migrations.AlterField(
            model_name="registrationrequest",
            name="organization",
            field=models.ForeignKey(
                blank=True,
                help_text="The claimed organization, or the new one once the request is approved.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="registration_requests",
                to="registry.organization",
                verbose_name="organization",
            ),
        ),
        migrations.AddConstraint(
            model_name="registrationrequest",
            constraint=models.CheckConstraint(
                condition=models.Q(("kind", "claim"), _negated=True)
                | models.Q(("organization__isnull", False)),
                name="registration_claim_names_organization",
            ),
        ),
    ]
