from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartneringConfig(AppConfig):
    name = "dari.partnering"
    label = "partnering"
    verbose_name = _("Partnering")

    def ready(self):
        from dari.jobs.kinds import register_kind as register_job_kind
        from dari.jobs.periodic import register_periodic
        from dari.matching.actions import register_suggestion_action
        from dari.notifications.kinds import register_kind
        from dari.registry.queries import organization_visibility_grants

        from . import history_rules  # noqa: F401  (who sees meeting requests in histories)
        from .models import MeetingRequest
        from .queries import participants_see_each_other
        from .services import (
            FOLLOW_UP_REMINDER,
            GENERATE_SCHEDULE,
            MEETING_ANSWERED,
            MEETING_REQUESTED,
            send_follow_up_reminders_periodically,
        )

        organization_visibility_grants.append(participants_see_each_other)

        # The kinds keep their matching names: stored notices and preferences use them.
        register_kind(
            MEETING_REQUESTED,
            _("Meeting requests to my organization"),
            templates="partnering/notifications/meeting_requested",
        )
        register_kind(
            MEETING_ANSWERED,
            _("Answers to my organization's meeting requests"),
            templates="partnering/notifications/meeting_answered",
        )
        register_kind(
            FOLLOW_UP_REMINDER,
            _("Reminders to say what came of my meetings at events"),
            templates="partnering/notifications/follow_up_reminder",
        )
        # Hourly: each reminder goes once (its row is claimed first), on its day or within 30 days.
        register_periodic("meeting-follow-ups", timedelta(hours=1), send_follow_up_reminders_periodically)
        register_job_kind(GENERATE_SCHEDULE, _("Event schedule"))
        register_suggestion_action(
            "partnering.request_meeting",
            template="partnering/_request_meeting_action.html",
            prepare=lambda user, subject: {"requested": MeetingRequest.objects.live_candidate_ids(subject)},
        )
