from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "dari.jobs"
    label = "jobs"
    verbose_name = _("Jobs")

    def ready(self):
        from dari.notifications.kinds import register_kind
        from dari.notifications.services import send_waiting_emails

        from .notices import JOB_FINISHED
        from .periodic import fail_stale_jobs, register_periodic

        register_kind(JOB_FINISHED, _("My background jobs finished or failed"))
        # Often enough that a dead job is not shown as running for long past DARI_JOB_STALE_MINUTES.
        register_periodic("stale-jobs", timedelta(minutes=5), fail_stale_jobs)
        # E-mail notices the mail server refused or missed (dari.notifications.models.OutgoingEmail);
        # each waits its own retry delay, this only looks for those that are due.
        register_periodic("waiting-e-mails", timedelta(minutes=1), send_waiting_emails)
        # The installation's backups (dari.files.backup), named by path: files and jobs do not import
        # each other. Hourly, the task itself writes one when the newest is DARI_BACKUP_EVERY_HOURS old.
        register_periodic("backups", timedelta(hours=1), "dari.files.backup.scheduled_backup")
