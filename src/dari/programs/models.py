"""Support programs, the organizations that run or fund them, their participating startups, and
their calls for applications with the applications startups send."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dari.core.bilingual import BilingualNamed, localized
from dari.core.services import Versioned
from dari.core.time import validate_in_range, validate_zone
from dari.registry.models import KEY_HELP, Organization, Person, Sector, Source

from .queries import (
    ApplicationQuerySet,
    CallQuerySet,
    CohortQuerySet,
    DecisionQuerySet,
    ParticipantQuerySet,
    ProgramQuerySet,
    ReviewQuerySet,
    SupportQuerySet,
)


class Program(Versioned, BilingualNamed):
    key = models.SlugField(_("key"), max_length=100, unique=True, help_text=KEY_HELP)
    description_ko = models.TextField(_("description (Korean)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    start_year = models.PositiveSmallIntegerField(_("running since (year)"), null=True, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True, validators=[validate_in_range])
    ended_on = models.DateField(_("ended on"), null=True, blank=True, validators=[validate_in_range])
    is_public = models.BooleanField(_("public"), default=True)
    source = models.ForeignKey(
        Source, verbose_name=_("source"), null=True, blank=True, on_delete=models.PROTECT
    )

    objects = ProgramQuerySet.as_manager()

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["key"]

    def get_absolute_url(self) -> str:
        return reverse("programs:program-detail", args=[self.pk])


class ProgramRole(models.Model):
    """An organization's role in running a program."""

    class Role(models.TextChoices):
        OPERATOR = "operator", _("operator")
        SUPPORTER = "supporter", _("supporter")
        FUNDER = "funder", _("funder")

    program = models.ForeignKey(Program, related_name="roles", on_delete=models.CASCADE)
    organization = models.ForeignKey(Organization, related_name="program_roles", on_delete=models.PROTECT)
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    source = models.ForeignKey(
        Source, verbose_name=_("source"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("program role")
        verbose_name_plural = _("program roles")
        ordering = ["program", "role", "organization"]
        constraints = [
            models.UniqueConstraint(fields=["program", "organization", "role"], name="unique_program_role")
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_role_display()})"


class Call(Versioned):
    """A call for applications: one per program and round, open from ``opens_at`` to ``closes_at``
    (stored in UTC, entered and shown in the call's own ``time_zone``), with its application form
    stored as data (``form``: the questions, see ``dari.programs.application_form``). Its status moves
    by ``services.set_call_status`` only."""

    class Status(models.TextChoices):
        # In a context of their own: "open" and "closed" read otherwise for action items and outcomes.
        DRAFT = "draft", pgettext_lazy("call status", "draft")
        OPEN = "open", pgettext_lazy("call status", "open")
        CLOSED = "closed", pgettext_lazy("call status", "closed")
        DECIDED = "decided", pgettext_lazy("call status", "decided")

    program = models.ForeignKey(
        Program, verbose_name=_("program"), related_name="calls", on_delete=models.PROTECT
    )
    round = models.PositiveSmallIntegerField(_("round"))
    title_ko = models.CharField(_("title (Korean)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description_ko = models.TextField(_("description (Korean)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    eligibility_ko = models.TextField(_("eligibility (Korean)"), blank=True)
    eligibility_en = models.TextField(_("eligibility (English)"), blank=True)
    opens_at = models.DateTimeField(_("opens at"), validators=[validate_in_range])
    closes_at = models.DateTimeField(_("closes at"), validators=[validate_in_range])
    time_zone = models.CharField(_("time zone of the call"), max_length=64, validators=[validate_zone])
    form = models.JSONField(_("application form"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    # How the call's applications are reviewed when no phase says otherwise (``ReviewSetup``).
    rubric = models.JSONField(_("rubric"), default=list, blank=True)
    reviews_shared = models.BooleanField(
        _("reviewers see the others' reviews once they have submitted their own"), default=False
    )
    blind_review = models.BooleanField(
        _("blind review (applicants' names hidden from reviewers)"), default=False
    )
    # Made up for the demo (the scenario's example call), never a real call: the pages say so.
    is_illustrative = models.BooleanField(
        _("illustrative record"),
        default=False,
        help_text=_("Made up for the demo, with made-up applicants and reviewers: not a real call."),
    )

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("call for applications")
        verbose_name_plural = _("calls for applications")
        ordering = ["program", "-round"]
        constraints = [models.UniqueConstraint(fields=["program", "round"], name="unique_call_round")]

    def __str__(self) -> str:
        return str(localized(self, "title")) or f"#{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("programs:call-detail", args=[self.pk])

    def clean(self):
        super().clean()
        if not (self.title_ko.strip() or self.title_en.strip()):
            raise ValidationError(_("Give a title in Korean or in English."))
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("A call closes after it opens.")})

    def accepts_submissions_at(self, moment) -> bool:
        """Whether an application may be sent at ``moment``: the call is open and ``moment`` is from
        its opening up to, not including, its closing second (instants, so the same in every zone)."""
        return self.status == self.Status.OPEN and self.opens_at <= moment < self.closes_at


class Cohort(models.Model):
    """A program's cohort: the startups accepted through one call (``call``, its ``year`` the year
    its decisions were released), or, for participants recorded without a call (the scenario's, an
    import), those of one ``year`` (or of no recorded year). A startup joins a program once per
    cohort, so it may join again in a later round."""

    program = models.ForeignKey(Program, related_name="cohorts", on_delete=models.CASCADE)
    call = models.OneToOneField(
        Call, verbose_name=_("call"), null=True, blank=True, related_name="cohort", on_delete=models.PROTECT
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)

    objects = CohortQuerySet.as_manager()

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["program", "year", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "year"], condition=models.Q(call__isnull=True), name="unique_cohort_year"
            ),
            models.UniqueConstraint(
                fields=["program"],
                condition=models.Q(call__isnull=True, year__isnull=True),
                name="unique_cohort_without_year",
            ),
        ]

    def __str__(self) -> str:
        if self.call_id is not None:
            return str(self.call)
        if self.year is not None:
            return str(self.year)
        return str(_("year not recorded"))

    def clean(self):
        super().clean()
        if self.call_id is not None and self.call.program_id != self.program_id:
            raise ValidationError({"call": _("The call belongs to another program.")})


class Participant(models.Model):
    """A startup taking part in a program, as a member of one of its cohorts (``cohort``; ``program``
    is the cohort's, kept beside it for the many reads by program). Unique per cohort and
    organization: a startup accepted again in a later call is a second participant."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        ALUMNI = "alumni", _("alumni")
        WITHDRAWN = "withdrawn", _("withdrawn")

    program = models.ForeignKey(Program, related_name="participants", on_delete=models.CASCADE)
    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), related_name="participants", on_delete=models.PROTECT
    )
    organization = models.ForeignKey(Organization, related_name="participations", on_delete=models.PROTECT)
    since = models.DateField(_("since"), null=True, blank=True, validators=[validate_in_range])
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    source = models.ForeignKey(
        Source, verbose_name=_("source"), null=True, blank=True, on_delete=models.PROTECT
    )

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["program", "organization", "cohort"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "organization"], name="unique_participant_per_cohort")
        ]
        # The KPIs' cohort year looks a startup's participations in a program up once per outcome
        # (outcomes.queries.cohort_year): without it SQLite walked the program's participants each
        # time (the program page at 31,619 outcomes: 0.72 s, 0.22 s with it).
        indexes = [models.Index(fields=["organization", "program"], name="participant_org_program")]

    def __str__(self) -> str:
        return str(self.organization)

    def get_absolute_url(self) -> str:
        return reverse("programs:participant-detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.cohort_id is not None and self.program_id is not None:
            if self.cohort.program_id != self.program_id:
                raise ValidationError({"cohort": _("The cohort belongs to another program.")})


#: The most hours one delivered service may record (a week-long pilot on site is well below it).
MAX_SERVICE_HOURS = 1000


class Milestone(Versioned):
    """A step of a participating startup's plan in its cohort: due on ``due_on``, then done (on
    ``done_on``) or missed. Written by the program's managers; the startup's members may mark it
    done (``support.set_milestone_status``, the one function that moves its status)."""

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("milestone status", "planned")
        DONE = "done", pgettext_lazy("milestone status", "done")
        MISSED = "missed", pgettext_lazy("milestone status", "missed")

    participant = models.ForeignKey(
        Participant, verbose_name=_("participant"), related_name="milestones", on_delete=models.PROTECT
    )
    title_ko = models.CharField(_("title (Korean)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    due_on = models.DateField(_("due on"), validators=[validate_in_range])
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    done_on = models.DateField(_("done on"), null=True, blank=True, validators=[validate_in_range])
    notes = models.TextField(_("notes"), blank=True)

    objects = SupportQuerySet.as_manager()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["participant", "due_on", "pk"]

    def __str__(self) -> str:
        return str(localized(self, "title")) or f"#{self.pk}"

    def clean(self):
        super().clean()
        if not (self.title_ko.strip() or self.title_en.strip()):
            raise ValidationError(_("Give a title in Korean or in English."))
        if self.status == self.Status.DONE and self.done_on is None:
            raise ValidationError({"done_on": _("Give the day the milestone was done.")})
        if self.status != self.Status.DONE and self.done_on is not None:
            raise ValidationError({"done_on": _("Only a milestone that is done has a done date.")})


class ServiceDelivery(Versioned):
    """A support service delivered to a participating startup: its kind, the day, who provided it
    (a registry organization, a person, and/or a name as given), the hours spent, notes, and the
    follow-up actions agreed (free text, one action a line). Written by the program's managers;
    read by them, staff and the startup's own members."""

    class Kind(models.TextChoices):
        MENTORING = "mentoring", pgettext_lazy("support service", "mentoring session")
        REGULATORY = "regulatory", pgettext_lazy("support service", "regulatory consulting")
        CLINICAL_PILOT = "clinical_pilot", pgettext_lazy("support service", "clinical pilot")
        INVESTOR_INTRODUCTION = (
            "investor_introduction",
            pgettext_lazy("support service", "investor introduction"),
        )
        MARKET_STUDY = "market_study", pgettext_lazy("support service", "market study")
        OTHER = "other", pgettext_lazy("support service", "other")

    participant = models.ForeignKey(
        Participant, verbose_name=_("participant"), related_name="services", on_delete=models.PROTECT
    )
    kind = models.CharField(_("service"), max_length=24, choices=Kind.choices)
    delivered_on = models.DateField(_("date"), validators=[validate_in_range])
    provider_organization = models.ForeignKey(
        Organization,
        verbose_name=_("provider (organization)"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    provider_person = models.ForeignKey(
        Person,
        verbose_name=_("provider (person)"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    provider_name = models.CharField(
        _("provider (as named)"),
        max_length=200,
        blank=True,
        help_text=_("A provider who is not in the registry, or how they were named."),
    )
    hours = models.DecimalField(
        _("hours"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_SERVICE_HOURS)],
    )
    notes = models.TextField(_("notes"), blank=True)
    follow_up = models.TextField(
        _("follow-up actions"), blank=True, help_text=_("One action a line, with its owner and date.")
    )

    objects = SupportQuerySet.as_manager()

    class Meta:
        verbose_name = _("service delivered")
        verbose_name_plural = _("services delivered")
        ordering = ["participant", "-delivered_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.delivered_on}"


def yearly_cohort(program: Program, year: int | None) -> Cohort:
    """The cohort of ``program``'s participants recorded without a call in ``year`` (None: no year
    recorded), made when missing."""
    cohort, _created = Cohort.objects.get_or_create(program=program, call=None, year=year)
    return cohort


class ReviewPhase(models.Model):
    """A step of a call's review (screening, panel review, interview, decision), with the times it
    opens and closes in the call's zone, and how its reviews are made: its own rubric (empty: the
    call's), whether reviewers see each other's reviews, whether it is blind."""

    call = models.ForeignKey(Call, related_name="phases", on_delete=models.CASCADE)
    position = models.PositiveSmallIntegerField(_("position"))
    name_ko = models.CharField(_("name (Korean)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True, validators=[validate_in_range])
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True, validators=[validate_in_range])
    rubric = models.JSONField(_("rubric"), default=list, blank=True)
    reviews_shared = models.BooleanField(
        _("reviewers see the others' reviews once they have submitted their own"), default=False
    )
    blind_review = models.BooleanField(
        _("blind review (applicants' names hidden from reviewers)"), default=False
    )

    class Meta:
        verbose_name = _("review phase")
        verbose_name_plural = _("review phases")
        ordering = ["call", "position"]
        constraints = [models.UniqueConstraint(fields=["call", "position"], name="unique_phase_position")]

    def __str__(self) -> str:
        return str(localized(self, "name")) or f"#{self.position}"

    def clean(self):
        super().clean()
        if not (self.name_ko.strip() or self.name_en.strip()):
            raise ValidationError(_("Give the phase a name in Korean or in English."))
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("A phase closes after it opens.")})


class Application(Versioned):
    """A startup's application to a call: its ``answers`` to the call's form (question key → value;
    a file question holds the id of a protected file owned by the application). Its status moves by
    ``services.set_application_status`` only."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("application status", "draft")
        SUBMITTED = "submitted", pgettext_lazy("application status", "submitted")
        REVISIONS_REQUESTED = (
            "revisions_requested",
            pgettext_lazy("application status", "revisions requested"),
        )
        WITHDRAWN = "withdrawn", pgettext_lazy("application status", "withdrawn")

    call = models.ForeignKey(
        Call, verbose_name=_("call"), related_name="applications", on_delete=models.PROTECT
    )
    startup = models.ForeignKey(
        Organization, verbose_name=_("startup"), related_name="applications", on_delete=models.PROTECT
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    submitted_at = models.DateTimeField(
        _("submitted at"), null=True, blank=True, validators=[validate_in_range]
    )
    revisions_note = models.TextField(_("revisions requested"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["call", "startup"]
        constraints = [models.UniqueConstraint(fields=["call", "startup"], name="unique_application")]

    def __str__(self) -> str:
        return f"{self.startup} – {self.call}"

    def get_absolute_url(self) -> str:
        return reverse("programs:application-detail", args=[self.pk])


class Review(Versioned):
    """One reviewer's review of one application, in one review phase (or the call's only review when
    ``phase`` is empty). Created when a manager assigns the reviewer; the reviewer saves scores
    (criterion key → a value of the rubric's scale) and comments as a draft, then submits it. A
    reviewer who recuses themself leaves it ``recused`` (and a declared conflict). Its status moves by
    ``reviews.set_review_status`` only."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned", pgettext_lazy("review status", "to do")
        SUBMITTED = "submitted", pgettext_lazy("review status", "submitted")
        RECUSED = "recused", pgettext_lazy("review status", "recused")

    application = models.ForeignKey(
        Application, verbose_name=_("application"), related_name="reviews", on_delete=models.PROTECT
    )
    phase = models.ForeignKey(
        ReviewPhase,
        verbose_name=_("review phase"),
        null=True,
        blank=True,
        related_name="reviews",
        on_delete=models.PROTECT,
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), related_name="reviews", on_delete=models.PROTECT
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ASSIGNED)
    scores = models.JSONField(_("scores"), default=dict, blank=True)
    comment = models.TextField(_("comments for the managers"), blank=True)
    comment_to_applicant = models.TextField(_("comments for the applicant"), blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    submitted_at = models.DateTimeField(
        _("submitted at"), null=True, blank=True, validators=[validate_in_range]
    )
    # The managers choose the feedback the applicant reads with a released decision: every submitted
    # comment for the applicant, except those they withhold (``reviews.set_feedback_withheld``).
    feedback_withheld = models.BooleanField(
        _("comment for the applicant withheld"),
        default=False,
        help_text=_("The applicant will not read this comment, even once the decision is released."),
    )

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["application", "phase", "reviewer"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer", "phase"], name="unique_review_per_phase"
            ),
            models.UniqueConstraint(
                fields=["application", "reviewer"],
                condition=models.Q(phase__isnull=True),
                name="unique_review_without_phase",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} – {self.application}"

    def get_absolute_url(self) -> str:
        return reverse("programs:review-detail", args=[self.pk])


class DeclaredConflict(models.Model):
    """A conflict of interest a reviewer declared (recusal): they will not review ``organization``'s
    applications, in any program. Conflicts derived from the registry are not stored: they are read
    afresh (``conflicts.py``), so a new affiliation counts at once."""

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="declared_conflicts", on_delete=models.CASCADE
    )
    organization = models.ForeignKey(Organization, related_name="+", on_delete=models.CASCADE)
    reason = models.TextField(_("reason"))
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    class Meta:
        verbose_name = _("declared conflict of interest")
        verbose_name_plural = _("declared conflicts of interest")
        constraints = [
            models.UniqueConstraint(fields=["reviewer", "organization"], name="unique_declared_conflict")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} – {self.organization}"


class Decision(models.Model):
    """The managers' decision on a submitted application: accepted, waitlisted or rejected. It is
    ``pending`` (seen by the program's managers and staff only: not by the applicant, in no page,
    API answer, e-mail or notice) until the call's decisions are released together
    (``decisions.release_decisions``), after which it is ``released`` and final. Made and changed by
    ``decisions.decide``; its status moves by ``decisions.release_decisions`` only."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", pgettext_lazy("decision", "accepted")
        WAITLISTED = "waitlisted", pgettext_lazy("decision", "waitlisted")
        REJECTED = "rejected", pgettext_lazy("decision", "rejected")

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("decision status", "pending")
        RELEASED = "released", pgettext_lazy("decision status", "released")

    application = models.OneToOneField(
        Application, verbose_name=_("application"), related_name="decision", on_delete=models.PROTECT
    )
    outcome = models.CharField(_("decision"), max_length=12, choices=Outcome.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    decided_at = models.DateTimeField(_("decided at"), validators=[validate_in_range])
    released_at = models.DateTimeField(
        _("released at"), null=True, blank=True, validators=[validate_in_range]
    )

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["application"]

    def __str__(self) -> str:
        return f"{self.application}: {self.get_outcome_display()}"


class ReviewerExpertise(models.Model):
    """The sectors and technologies a reviewer knows, stated by the reviewer: automatic assignment
    (``reviews.auto_assign``) prefers giving them applications from startups in those sectors, where
    the balance of loads allows and nothing else is asked."""

    reviewer = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        related_name="review_expertise",
        on_delete=models.CASCADE,
    )
    sectors = models.ManyToManyField(Sector, verbose_name=_("sectors"), related_name="+", blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("reviewer's expertise")
        verbose_name_plural = _("reviewers' expertise")

    def __str__(self) -> str:
        return str(self.reviewer)
