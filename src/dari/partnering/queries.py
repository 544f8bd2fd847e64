"""Reads for partnering: who sees which meeting requests."""

from django.db import models


class MeetingRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see every request; others the requests they made, those of their organizations on
        either side, and those made for an organization of a program they manage (the people who
        may act on its suggestions, see ``dari.matching.permissions.can_view_suggestions``)."""
        from dari.accounts.access import access_for

        access = access_for(user)
        if not access.is_authenticated:
            return self.none()
        if access.sees_everything:
            return self
        from dari.matching.permissions import suggestion_subjects
        from dari.registry.models import Organization

        subjects = Organization.objects.filter(suggestion_subjects(access)).values("pk")
        return self.filter(
            models.Q(requested_by=user)
            | models.Q(subject__in=subjects)
            | models.Q(candidate__in=list(access.organization_ids))
        )

    def for_listing(self, user):
        """Rows ready to show to ``user``, ``subject_visible``/``candidate_visible`` saying whether
        ``user`` may be told each organization's name: the organizations ``user`` sees (either may
        have become private since the request), and the subject to the requested organization's
        members, since asking for a meeting tells them who asks."""
        from dari.accounts.access import access_for
        from dari.registry.models import Organization

        organizations = Organization.objects.visible_to(user)
        asked = models.Q(candidate_id__in=list(access_for(user).organization_ids))
        return self.select_related("subject", "candidate", "requested_by", "answered_by").annotate(
            subject_visible=models.Exists(organizations.filter(pk=models.OuterRef("subject_id"))) | asked,
            candidate_visible=models.Exists(organizations.filter(pk=models.OuterRef("candidate_id"))),
        )

    def live(self, subject, candidate=None):
        """``subject``'s live requests: open, or accepted (a meeting to arrange), with ``candidate``
        only when given. While one is live, the pair cannot be asked again."""
        found = self.filter(subject=subject, status__in=["open", "accepted"])
        return found if candidate is None else found.filter(candidate=candidate)

    def live_candidate_ids(self, subject) -> set[int]:
        """The organizations ``subject`` has a live (open or accepted) meeting request with."""
        return set(self.live(subject).values_list("candidate_id", flat=True))
