from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("outcomes", "0002_outcome_amount_disclosure"),
    ]

    operations = [
        migrations.AddField(
            model_name="outcome",
            name="public_summary_en",
            field=models.TextField(blank=True, verbose_name="public summary (English)"),
        ),
        migrations.AddField(
            model_name="outcome",
            name="public_summary_ko",
            field=models.TextField(
                blank=True,
                help_text="What may be said publicly while the amount is confidential, without the amount.",
                verbose_name="public summary (Korean)",
            ),
        ),
        migrations.AddField(
            model_name="outcome",
            name="public_title_en",
            field=models.CharField(blank=True, max_length=300, verbose_name="public title (English)"),
        ),
        migrations.AddField(
            model_name="outcome",
            name="public_title_ko",
            field=models.CharField(
                blank=True,
                help_text="Shown instead of the title to those who may not see a confidential amount.",
                max_length=300,
                verbose_name="public title (Korean)",
            ),
        ),
    ]
