"""Affiliations get a confirmation. Those recorded before the rule existed are taken as confirmed at
the time of the upgrade (they were made by staff, the scenario or an organization adding its own
people); staff can review them on the people's pages."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def confirm_existing(apps, schema_editor):
    apps.get_model("registry", "Affiliation").objects.filter(confirmed_at__isnull=True).update(
        confirmed_at=timezone.now()
    )


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0005_affiliation_updated_at'),
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
