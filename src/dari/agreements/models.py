"""Agreements (MOUs), their parties, cooperation areas and action items."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dari.core.bilingual import localized
from dari.core.time import validate_in_range, validate_zone
from dari.registry.models import KEY_HELP, Organization, Person, Source

from .queries import ActionItemQuerySet, AgreementQuerySet, ProgressNoteQuerySet


class Agreement(models.Model):
    class Kind(models.TextChoices):
        MOU = "mou", _("memorandum of understanding")
        AGREEMENT = "agreement", _("agreement")
        LETTER_OF_INTENT = "loi", _("letter of intent")

    key = models.SlugField(_("key"), max_length=100, unique=True, help_text=KEY_HELP)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.MOU)
    title_ko = models.CharField(_("title (Korean)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    summary_ko = models.TextField(_("summary (Korean)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True, validators=[validate_in_range])
    signed_time_zone = models.CharField(
        _("time zone of signing"), max_length=64, blank=True, validators=[validate_zone]
    )
    place_ko = models.CharField(_("place (Korean)"), max_length=300, blank=True)
    place_en = models.CharField(_("place (English)"), max_length=300, blank=True)
    place_organization = models.ForeignKey(
        Organization,
        verbose_name=_("place (organization)"),
        null=True,
        blank=True,
        related_name="hosted_agreements",
        on_delete=models.SET_NULL,
    )
    context_ko = models.TextField(_("context (Korean)"), blank=True)
    context_en = models.TextField(_("context (English)"), blank=True)
    is_public = models.BooleanField(_("public"), default=True)
    source = models.ForeignKey(
        Source, verbose_name=_("source"), null=True, blank=True, on_delete=models.PROTECT
    )

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-signed_at", "key"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(signed_at__isnull=True) | ~models.Q(signed_time_zone=""),
                name="agreement_signing_has_zone",
            )
        ]

    def __str__(self) -> str:
        return str(localized(self, "title")) or self.key

    def get_absolute_url(self) -> str:
        return reverse("agreements:agreement-detail", args=[self.pk])


class AgreementParty(models.Model):
    """An organization that is party to an agreement, its head and the person who signed for it."""

    agreement = models.ForeignKey(Agreement, related_name="parties", on_delete=models.CASCADE)
    organization = models.ForeignKey(Organization, related_name="agreement_parties", on_delete=models.PROTECT)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    head = models.ForeignKey(
        Person, verbose_name=_("head"), null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )
    head_title_ko = models.CharField(_("head's title (Korean)"), max_length=200, blank=True)
    head_title_en = models.CharField(_("head's title (English)"), max_length=200, blank=True)
    signatory = models.ForeignKey(
        Person, verbose_name=_("signatory"), null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )
    signatory_title_ko = models.CharField(_("signatory's title (Korean)"), max_length=200, blank=True)
    signatory_title_en = models.CharField(_("signatory's title (English)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["agreement", "position"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "organization"], name="unique_party_per_agreement")
        ]

    def __str__(self) -> str:
        return str(self.organization)


class CooperationArea(models.Model):
    agreement = models.ForeignKey(Agreement, related_name="areas", on_delete=models.CASCADE)
    number = models.PositiveSmallIntegerField(_("number"))
    title_ko = models.CharField(_("title (Korean)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description_ko = models.TextField(_("description (Korean)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    class Meta:
        verbose_name = _("cooperation area")
        verbose_name_plural = _("cooperation areas")
        ordering = ["agreement", "number"]
        constraints = [models.UniqueConstraint(fields=["agreement", "number"], name="unique_area_number")]

    def __str__(self) -> str:
        return f"{self.number}. {localized(self, 'title')}"


class ActionItem(models.Model):
    """A commitment made under an agreement, owned by one party, with a due time in a stated zone."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        DROPPED = "dropped", _("dropped")

    agreement = models.ForeignKey(Agreement, related_name="action_items", on_delete=models.CASCADE)
    key = models.SlugField(_("key"), max_length=100, help_text=KEY_HELP)
    area = models.ForeignKey(
        CooperationArea,
        verbose_name=_("cooperation area"),
        null=True,
        blank=True,
        related_name="action_items",
        on_delete=models.SET_NULL,
    )
    title_ko = models.CharField(_("title (Korean)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    owner_party = models.ForeignKey(
        AgreementParty,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        related_name="action_items",
        on_delete=models.SET_NULL,
    )
    stated_by = models.ForeignKey(
        Person,
        verbose_name=_("stated by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True, validators=[validate_in_range])
    due_time_zone = models.CharField(
        _("time zone of due date"), max_length=64, blank=True, validators=[validate_zone]
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    source = models.ForeignKey(
        Source, verbose_name=_("source"), null=True, blank=True, on_delete=models.PROTECT
    )

    objects = ActionItemQuerySet.as_manager()

    UNFINISHED = (Status.OPEN, Status.IN_PROGRESS)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["agreement", "key"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "key"], name="unique_action_item_key"),
            models.CheckConstraint(
                condition=models.Q(due_at__isnull=True) | ~models.Q(due_time_zone=""),
                name="action_item_due_has_zone",
            ),
        ]

    def __str__(self) -> str:
        return str(localized(self, "title")) or self.key

    def get_absolute_url(self) -> str:
        return reverse("agreements:action-item-detail", args=[self.pk])

    def clean(self):
        super().clean()
        errors = {}
        if self.owner_party_id is not None and self.owner_party.agreement_id != self.agreement_id:
            errors["owner_party"] = _("The owner must be a party to this agreement.")
        if self.area_id is not None and self.area.agreement_id != self.agreement_id:
            errors["area"] = _("The cooperation area must belong to this agreement.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_unfinished(self) -> bool:
        return self.status in self.UNFINISHED

    def is_overdue_at(self, now) -> bool:
        """Open or in progress and past its due time (an item without a due time is never overdue)."""
        return self.is_unfinished and self.due_at is not None and self.due_at < now

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_at(timezone.now())


class ProgressNote(models.Model):
    """What happened on an action item. Confidential: only staff and members of the agreement's
    parties see notes (``ProgressNote.objects.visible_to``)."""

    action_item = models.ForeignKey(ActionItem, related_name="progress_notes", on_delete=models.CASCADE)
    written_at = models.DateTimeField(_("written at"), validators=[validate_in_range])
    text_ko = models.TextField(_("text (Korean)"), blank=True)
    text_en = models.TextField(_("text (English)"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author (user)"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    author_name = models.CharField(_("author"), max_length=200, blank=True)

    objects = ProgressNoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["action_item", "written_at"]

    def __str__(self) -> str:
        return str(localized(self, "text"))[:60]

    def clean(self):
        super().clean()
        if not (self.text_ko.strip() or self.text_en.strip()):
            raise ValidationError(_("Write the note in Korean or in English."))


class ReminderSent(models.Model):
    """One reminder e-mail about one action item to one user on one day (the user's local date), so
    that running the reminder job twice a day sends once."""

    action_item = models.ForeignKey(ActionItem, related_name="reminders_sent", on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE)
    sent_on = models.DateField(_("sent on"), validators=[validate_in_range])
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["action_item", "user", "sent_on"], name="one_reminder_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.action_item} → {self.user} ({self.sent_on})"
