# Meeting requests move from matching to partnering. Only Django's idea of the model moves: the
# table matching 0002 created (matching_meetingrequest) stays, with its rows, indexes and
# constraints; matching 0005 forgets the model on its side.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import dari.core.time


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("matching", "0004_dates_within_bounds"),
        ("registry", "0003_organization_is_illustrative"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="MeetingRequest",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("message", models.TextField(blank=True, max_length=2000, verbose_name="message")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("open", "requested"),
                                    ("accepted", "accepted"),
                                    ("declined", "declined"),
                                    ("withdrawn", "withdrawn"),
                                ],
                                default="open",
                                max_length=10,
                                verbose_name="status",
                            ),
                        ),
                        ("reply", models.TextField(blank=True, max_length=2000, verbose_name="reply")),
                        (
                            "answered_at",
                            models.DateTimeField(
                                blank=True,
                                null=True,
                                validators=[dari.core.time.validate_in_range],
                                verbose_name="answered at",
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="requested at")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                        (
                            "answered_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="answered by",
                            ),
                        ),
                        (
                            "candidate",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="meeting_requests_received",
                                to="registry.organization",
                                verbose_name="with",
                            ),
                        ),
                        (
                            "requested_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="meeting_requests",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="requested by",
                            ),
                        ),
                        (
                            "subject",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="meeting_requests_made",
                                to="registry.organization",
                                verbose_name="for",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "matching_meetingrequest",
                        "verbose_name": "meeting request",
                        "verbose_name_plural": "meeting requests",
                        "ordering": ["-created_at", "-pk"],
                        "constraints": [
                            models.UniqueConstraint(
                                condition=models.Q(("status", "open")),
                                fields=("subject", "candidate"),
                                name="matching_meeting_request_one_open",
                            )
                        ],
                    },
                ),
            ],
        ),
    ]
