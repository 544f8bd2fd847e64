"""programs 0006: each participant joins a cohort of its program (the year of ``since``, or the
cohort without a year), keeping its row, program, organization, dates and status."""

from datetime import date

import pytest

from ..helpers import latest_migrations, migrate_to

BEFORE = [("programs", "0005_reviews")]



@pytest.mark.django_db(transaction=True)
def test_existing_participants_keep_their_rows_in_the_cohort_of_their_year():
    try:
        old = migrate_to(BEFORE)
        Organization = old.get_model("registry", "Organization")
        Program = old.get_model("programs", "Program")
        Participant = old.get_model("programs", "Participant")
        program = Program.objects.create(key="program", name_en="Program")
        other = Program.objects.create(key="other", name_en="Other")
        startups = [
            Organization.objects.create(key=f"s{number}", kind="startup", name_en=f"S{number}")
            for number in range(3)
        ]
        dated = Participant.objects.create(program=program, organization=startups[0], since=date(2023, 5, 1))
        same_year = Participant.objects.create(
            program=program, organization=startups[1], since=date(2023, 9, 1)
        )
        undated = Participant.objects.create(program=program, organization=startups[2], status="alumni")
        elsewhere = Participant.objects.create(
            program=other, organization=startups[0], since=date(2024, 1, 1)
        )

        new = migrate_to(latest_migrations())
        Participant = new.get_model("programs", "Participant")
        Cohort = new.get_model("programs", "Cohort")

        rows = {
            row.pk: (
                row.program.key,
                row.organization.key,
                row.since,
                row.status,
                row.cohort.program.key,
                row.cohort.year,
            )
            for row in Participant.objects.select_related("program", "organization", "cohort__program")
        }
        assert rows == {
            dated.pk: ("program", "s0", date(2023, 5, 1), "active", "program", 2023),
            same_year.pk: ("program", "s1", date(2023, 9, 1), "active", "program", 2023),
            undated.pk: ("program", "s2", None, "alumni", "program", None),
            elsewhere.pk: ("other", "s0", date(2024, 1, 1), "active", "other", 2024),
        }
        assert Cohort.objects.count() == 3
        assert not Cohort.objects.filter(call__isnull=False).exists()
    finally:
        migrate_to(latest_migrations())
