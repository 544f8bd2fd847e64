"""Partnering: events, their delegates, and the meetings organizations ask for and arrange.

An ``Event`` (a partnering session, a delegation visit, a demo day) has days in its host zone,
meeting ``Slot`` rows (UTC instants) made from them, ``Location`` rows and rules on who may meet
whom. Organizations register their members as ``Delegate`` rows, who mark the slots they are
``Available`` in.

A ``MeetingRequest`` is made from a suggestion (``dari.matching``) or within an event, and answered
by the requested organization. Its table is still ``matching_meetingrequest``: the model moved here
from matching without moving its rows (migrations matching 0005 and partnering 0001).

After a scheduled ``Meeting`` each side records a ``MeetingReport`` (did it happen, what came of
it); a negotiation started opens an outcome (``dari.outcomes``) linked by ``MeetingOutcome``, here
in the later app, never as a field of ``Outcome``.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dari.core.bilingual import BilingualNamed
from dari.core.services import Versioned
from dari.core.time import validate_in_range, validate_zone
from dari.registry.models import Organization

from .queries import (
    DelegateQuerySet,
    EventQuerySet,
    MeetingQuerySet,
    MeetingReportQuerySet,
    MeetingRequestQuerySet,
)


def organization_kinds(value) -> None:
    """A list of organization kinds (``Organization.Kind``), for an event's meeting rule."""
    if not isinstance(value, list) or any(kind not in Organization.Kind.values for kind in value):
        raise ValidationError(_("Choose organization kinds from the list."))


class Event(Versioned, BilingualNamed):
    """A partnering event or delegation visit, held in ``time_zone`` (the host's IANA zone). Its
    status moves by ``services.set_event_status`` only; its slots are made from its days
    (``services.add_event_day``).

    Rules: when both ``meet_kinds_a`` and ``meet_kinds_b`` are given, an organization of a kind in
    one list meets only organizations of a kind in the other (startups ↔ investors and corporates);
    ``request_cap`` bounds the meeting requests each participating organization sends."""

    class Kind(models.TextChoices):
        PARTNERING = "partnering", _("partnering event")
        DELEGATION = "delegation", _("delegation visit")
        DEMO_DAY = "demo_day", _("demo day")

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("event status", "draft")
        REGISTRATION = "registration", pgettext_lazy("event status", "registration open")
        SCHEDULING = "scheduling", pgettext_lazy("event status", "scheduling")
        PUBLISHED = "published", pgettext_lazy("event status", "published")
        CLOSED = "closed", pgettext_lazy("event status", "closed")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.PARTNERING)
    # A natural key for events loaded from a file (the demo scenario); events made in the app have none.
    key = models.SlugField(_("key"), max_length=100, unique=True, null=True, blank=True, editable=False)
    description_ko = models.TextField(_("description (Korean)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    time_zone = models.CharField(_("host time zone"), max_length=64, validators=[validate_zone])
    slot_minutes = models.PositiveSmallIntegerField(
        _("meeting length (minutes)"), default=30, validators=[MinValueValidator(5), MaxValueValidator(240)]
    )
    gap_minutes = models.PositiveSmallIntegerField(
        _("pause between meetings (minutes)"), default=0, validators=[MaxValueValidator(120)]
    )
    meet_kinds_a = models.JSONField(
        _("these kinds of organizations…"), default=list, blank=True, validators=[organization_kinds]
    )
    meet_kinds_b = models.JSONField(
        _("…meet only these kinds"), default=list, blank=True, validators=[organization_kinds]
    )
    request_cap = models.PositiveSmallIntegerField(
        _("meeting requests per organization"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("The most meeting requests one organization may send. Empty: no limit."),
    )
    is_public = models.BooleanField(
        _("public"), default=True, help_text=_("Anyone may see it once registration opens.")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("partnering event")
        verbose_name_plural = _("partnering events")
        ordering = ["-created_at", "-pk"]

    def get_absolute_url(self) -> str:
        return reverse("partnering:event-detail", args=[self.pk])

    def clean(self):
        super().clean()
        if bool(self.meet_kinds_a) != bool(self.meet_kinds_b):
            raise ValidationError(
                {"meet_kinds_b": _("Give both sides of the rule, or neither (anyone meets anyone).")}
            )

    def rule_labels(self) -> tuple[str, str]:
        """The two sides of the rule on who meets whom, as lists of kinds in words."""
        return tuple(
            ", ".join(str(Organization.Kind(kind).label) for kind in side)
            for side in (self.meet_kinds_a, self.meet_kinds_b)
        )

    def allows_pair(self, kind: str, other_kind: str) -> bool:
        """Whether organizations of these kinds may meet at this event (the rule, either way round)."""
        if not self.meet_kinds_a:
            return True
        a, b = set(self.meet_kinds_a), set(self.meet_kinds_b)
        return (kind in a and other_kind in b) or (kind in b and other_kind in a)


class EventDay(models.Model):
    """One day of an event: its meetings run from ``starts`` to ``ends``, local times in the event's
    zone, except in its ``breaks`` (a list of ``["HH:MM", "HH:MM"]``)."""

    event = models.ForeignKey(Event, related_name="days", on_delete=models.CASCADE)
    date = models.DateField(_("date"), validators=[validate_in_range])
    starts = models.TimeField(_("meetings from"))
    ends = models.TimeField(_("meetings until"))
    breaks = models.JSONField(_("breaks"), default=list, blank=True)

    class Meta:
        verbose_name = _("event day")
        verbose_name_plural = _("event days")
        ordering = ["event", "date"]
        constraints = [models.UniqueConstraint(fields=["event", "date"], name="partnering_unique_event_day")]

    def __str__(self) -> str:
        return self.date.isoformat()


class Slot(models.Model):
    """A meeting slot of an event: from ``starts_at`` to ``ends_at`` (UTC instants, shown in the
    event's zone and the viewer's)."""

    event = models.ForeignKey(Event, related_name="slots", on_delete=models.CASCADE)
    day = models.ForeignKey(EventDay, related_name="slots", on_delete=models.CASCADE)
    starts_at = models.DateTimeField(_("starts at"), validators=[validate_in_range])
    ends_at = models.DateTimeField(_("ends at"), validators=[validate_in_range])

    class Meta:
        verbose_name = _("meeting slot")
        verbose_name_plural = _("meeting slots")
        ordering = ["event", "starts_at"]
        constraints = [models.UniqueConstraint(fields=["event", "starts_at"], name="partnering_unique_slot")]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} UTC"


class EventItem(models.Model):
    """A moment of the event's programme (a signing, a site visit, a talk) at ``starts_at``, shown in
    the event's zone and the viewer's; it may point at the registry's agreement it saw signed and at
    the source that reports it."""

    event = models.ForeignKey(Event, related_name="items", on_delete=models.CASCADE)
    starts_at = models.DateTimeField(_("starts at"), validators=[validate_in_range])
    title_ko = models.CharField(_("title (Korean)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    place_ko = models.CharField(_("place (Korean)"), max_length=300, blank=True)
    place_en = models.CharField(_("place (English)"), max_length=300, blank=True)
    agreement = models.ForeignKey(
        "agreements.Agreement",
        verbose_name=_("agreement"),
        related_name="event_items",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    source = models.ForeignKey(
        "registry.Source", verbose_name=_("source"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = pgettext_lazy("event programme", "programme item")
        verbose_name_plural = pgettext_lazy("event programme", "programme")
        ordering = ["event", "starts_at", "pk"]

    def __str__(self) -> str:
        return self.title_en or self.title_ko

    def clean(self):
        super().clean()
        if not (self.title_ko.strip() or self.title_en.strip()):
            raise ValidationError({"title_en": _("Give a title in Korean or in English.")})


class Location(BilingualNamed):
    """Where meetings happen: a room or a table (``capacity`` meetings at a time) at a ``venue``, or
    a video link."""

    class Kind(models.TextChoices):
        ROOM = "room", _("room")
        TABLE = "table", _("table")
        VIDEO = "video", _("video call")

    event = models.ForeignKey(Event, related_name="locations", on_delete=models.CASCADE)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.TABLE)
    capacity = models.PositiveSmallIntegerField(
        _("meetings at a time"), default=1, validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    video_url = models.URLField(_("video link"), blank=True)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["event", "name_en", "name_ko", "pk"]

    def clean(self):
        super().clean()
        if self.kind == self.Kind.VIDEO and not self.video_url:
            raise ValidationError({"video_url": _("Give the link of the video call.")})


class Delegate(models.Model):
    """A user taking part in an event for one of their organizations (they are its member)."""

    event = models.ForeignKey(Event, related_name="delegates", on_delete=models.CASCADE)
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), related_name="event_delegates", on_delete=models.CASCADE
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("delegate"),
        related_name="delegations",
        on_delete=models.CASCADE,
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    available = models.ManyToManyField(
        Slot, verbose_name=_("available in"), related_name="available", blank=True
    )

    objects = DelegateQuerySet.as_manager()

    class Meta:
        verbose_name = _("delegate")
        verbose_name_plural = _("delegates")
        ordering = ["event", "organization", "user__username"]
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="partnering_one_delegation")]

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.organization})"


class Priority(models.IntegerChoices):
    LOW = 1, _("low")
    NORMAL = 2, _("normal")
    HIGH = 3, _("high")


class Preference(models.TextChoices):
    """How much a side wants a meeting, as hosted-buyer programs ask it."""

    MUST_MEET = "must_meet", _("must meet")
    WOULD_LIKE = "would_like", _("would like to meet")
    NO_THANKS = "no_thanks", _("no thanks")


class MeetingRequest(models.Model):
    """A request that ``subject`` meet ``candidate``, from a suggestion or at an ``event``.

    The requested organization's people accept or decline it, with a reply, or (at an event)
    propose other delegates, which the requesting side accepts; until then the requester may
    withdraw it (``services.REQUEST_STATUS``). One live request per pair and event (none for
    requests outside events): asking again while one is live is refused; the same pair may meet
    again at another event.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("requested")
        PROPOSED = "proposed", _("other delegates proposed")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", pgettext_lazy("meeting request", "declined")
        WITHDRAWN = "withdrawn", _("withdrawn")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        related_name="meeting_requests",
        on_delete=models.PROTECT,
    )
    subject = models.ForeignKey(
        Organization, verbose_name=_("for"), related_name="meeting_requests_made", on_delete=models.CASCADE
    )
    candidate = models.ForeignKey(
        Organization,
        verbose_name=_("with"),
        related_name="meeting_requests_received",
        on_delete=models.CASCADE,
    )
    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        related_name="meeting_requests",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )
    delegates = models.ManyToManyField(
        Delegate, verbose_name=_("delegates"), related_name="meeting_requests", blank=True
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    requester_preference = models.CharField(
        _("requester's interest"), max_length=12, choices=Preference.choices, blank=True
    )
    candidate_preference = models.CharField(
        _("requested side's interest"), max_length=12, choices=Preference.choices, blank=True
    )
    message = models.TextField(_("message"), blank=True, max_length=2000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    reply = models.TextField(_("reply"), blank=True, max_length=2000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    answered_at = models.DateTimeField(
        _("answered at"), null=True, blank=True, validators=[validate_in_range]
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MeetingRequestQuerySet.as_manager()

    class Meta:
        # The table kept its name when the model moved from matching: no row had to move.
        db_table = "matching_meetingrequest"
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "candidate"],
                condition=models.Q(status="open", event__isnull=True),
                name="matching_meeting_request_one_open",
            ),
            models.UniqueConstraint(
                fields=["event", "subject", "candidate"],
                condition=models.Q(status__in=["open", "proposed"], event__isnull=False),
                name="partnering_event_request_one_open",
            ),
        ]

    def __str__(self):
        return f"{self.subject} → {self.candidate} ({self.get_status_display()})"

    def delegates_of(self, organization_id: int) -> list:
        """The request's delegates from one side (prefetched ``delegates`` read once)."""
        return [delegate for delegate in self.delegates.all() if delegate.organization_id == organization_id]


class Meeting(models.Model):
    """An accepted meeting request of an event, scheduled: at ``slot`` in ``location``.

    Made and changed by ``services.generate_schedule`` only. A meeting the schedule no longer holds
    (its request withdrawn, no room for it any more) stays as ``cancelled``, so calendars can say so;
    ``sequence`` counts its changes (a move, a cancellation), the iCalendar SEQUENCE of its entry."""

    class State(models.TextChoices):
        SCHEDULED = "scheduled", pgettext_lazy("meeting", "scheduled")
        CANCELLED = "cancelled", pgettext_lazy("meeting", "cancelled")

    event = models.ForeignKey(
        Event, verbose_name=_("event"), related_name="meetings", on_delete=models.CASCADE
    )
    request = models.OneToOneField(
        MeetingRequest, verbose_name=_("meeting request"), related_name="meeting", on_delete=models.CASCADE
    )
    slot = models.ForeignKey(Slot, verbose_name=_("slot"), related_name="meetings", on_delete=models.CASCADE)
    location = models.ForeignKey(
        Location, verbose_name=_("location"), related_name="meetings", on_delete=models.CASCADE
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.SCHEDULED)
    sequence = models.PositiveIntegerField(_("changes"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["event", "slot__starts_at", "location", "pk"]

    def __str__(self) -> str:
        return f"{self.request.subject} ↔ {self.request.candidate}, {self.slot}"


class CalendarFeed(models.Model):
    """A person's iCalendar feed of their meetings, at a secret URL. Only the secret's hash is kept
    (``accounts.keys.hash_secret``); rotating it (``services.rotate_calendar_feed``) makes the old
    URL answer 404."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, related_name="calendar_feed", on_delete=models.CASCADE
    )
    secret_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.user.get_username()}'s calendar feed"


class Attendance(models.TextChoices):
    """Whether a meeting happened, as one side saw it."""

    HELD = "held", pgettext_lazy("meeting", "held")
    NO_SHOW = "no_show", _("the other side did not come")
    CANCELLED = "cancelled", pgettext_lazy("meeting", "cancelled")


class FollowUp(models.TextChoices):
    """What came of a meeting, as one side sees it (``services.FOLLOW_UP`` moves it)."""

    NOT_RECORDED = "", _("not recorded yet")
    NO_FURTHER_CONTACT = "no_further_contact", _("no further contact")
    FOLLOW_UP = "follow_up", _("follow-up")
    NEGOTIATION_STARTED = "negotiation_started", _("negotiation started")
    AGREEMENT_REACHED = "agreement_reached", _("agreement reached")


class MeetingReport(Versioned):
    """One side's report on a meeting: ``organization`` (the subject or the candidate of its request)
    says whether it happened and what came of it, with a ``note`` for itself. Written by
    ``services.report_meeting`` only; ``result_updated_at`` is when what came of it last changed, which
    the reminders read (``services.follow_up_reminders``)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), related_name="reports", on_delete=models.CASCADE
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), related_name="+", on_delete=models.CASCADE
    )
    attendance = models.CharField(_("did it happen?"), max_length=10, choices=Attendance.choices)
    result = models.CharField(
        _("what came of it"), max_length=20, choices=FollowUp.choices, blank=True, default=""
    )
    note = models.TextField(
        _("note"),
        blank=True,
        max_length=2000,
        help_text=_("For your organization only: the other side and the organizers do not see it."),
    )
    result_updated_at = models.DateTimeField(
        _("result updated at"), null=True, blank=True, validators=[validate_in_range]
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MeetingReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting report")
        verbose_name_plural = _("meeting reports")
        ordering = ["meeting", "organization_id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "organization"], name="partnering_one_report_per_side")
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.organization_id} ({self.attendance}, {self.result or '-'})"

    def clean(self):
        super().clean()
        if self.result and self.attendance != Attendance.HELD:
            raise ValidationError(
                {"result": _("Only a meeting that was held has something that came of it.")}
            )


class MeetingOutcome(models.Model):
    """The outcome a side opened when it reported that a negotiation started after ``meeting``: one
    per meeting and side, so reporting again opens no second one."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), related_name="outcome_links", on_delete=models.CASCADE
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), related_name="+", on_delete=models.CASCADE
    )
    outcome = models.OneToOneField(
        "outcomes.Outcome", verbose_name=_("outcome"), related_name="+", on_delete=models.CASCADE
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("outcome of a meeting")
        verbose_name_plural = _("outcomes of meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "organization"], name="partnering_one_outcome_per_side"
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} → {self.outcome_id}"


class FollowUpReminder(models.Model):
    """A reminder ``days`` after a meeting to one side to record what came of it. Its row is written
    before the notices, under a unique constraint, so two periodic runners send it once."""

    meeting = models.ForeignKey(Meeting, related_name="reminders", on_delete=models.CASCADE)
    organization = models.ForeignKey(Organization, related_name="+", on_delete=models.CASCADE)
    days = models.PositiveSmallIntegerField(_("days after the meeting"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up reminder")
        verbose_name_plural = _("follow-up reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "organization", "days"], name="partnering_one_follow_up_reminder"
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} → {self.organization_id} ({self.days} days)"
