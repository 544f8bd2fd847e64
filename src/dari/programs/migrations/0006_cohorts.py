"""A participant belongs to a cohort of its program (the startups of one call, or of one year), so
that a startup may join a program again in a later round. Each existing participant joins the
program's cohort of the year it joined (``since``), or the cohort without a recorded year: the rows
stay, with the same program, organization, dates and status."""

import django.db.models.deletion
from django.db import migrations, models


def place_in_cohorts(apps, schema_editor):
    Cohort = apps.get_model("programs", "Cohort")
    Participant = apps.get_model("programs", "Participant")
    for participant in Participant.objects.order_by("pk"):
        year = participant.since.year if participant.since else None
        cohort, _created = Cohort.objects.get_or_create(
            program_id=participant.program_id, call=None, year=year
        )
        Participant.objects.filter(pk=participant.pk).update(cohort=cohort)


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0005_reviews"),
    ]

    operations = [
        migrations.CreateModel(
            name="Cohort",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="year")),
                (
                    "call",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="cohort",
                        to="programs.call",
                        verbose_name="call",
                    ),
                ),
                (
                    "program",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="cohorts",
                        to="programs.program",
                    ),
                ),
            ],
            options={
                "verbose_name": "cohort",
                "verbose_name_plural": "cohorts",
                "ordering": ["program", "year", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("call__isnull", True)),
                        fields=("program", "year"),
                        name="unique_cohort_year",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("call__isnull", True), ("year__isnull", True)),
                        fields=("program",),
                        name="unique_cohort_without_year",
                    ),
                ],
            },
        ),
        migrations.AddField(
            model_name="participant",
            name="cohort",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="participants",
                to="programs.cohort",
                verbose_name="cohort",
            ),
        ),
        migrations.RunPython(place_in_cohorts, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="participant",
            name="cohort",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="participants",
                to="programs.cohort",
                verbose_name="cohort",
            ),
        ),
        migrations.RemoveConstraint(model_name="participant", name="unique_participant"),
        migrations.AddConstraint(
            model_name="participant",
            constraint=models.UniqueConstraint(
                fields=("cohort", "organization"), name="unique_participant_per_cohort"
            ),
        ),
        migrations.AlterModelOptions(
            name="participant",
            options={
                "ordering": ["program", "organization", "cohort"],
                "verbose_name": "participant",
                "verbose_name_plural": "participants",
            },
        ),
    ]
