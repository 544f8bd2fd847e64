# Meeting requests move to partnering (partnering 0001, which takes over the model with its table).
# Matching forgets the model and leaves the table and its rows alone.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0004_dates_within_bounds"),
        ("partnering", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name="MeetingRequest")],
        ),
    ]
