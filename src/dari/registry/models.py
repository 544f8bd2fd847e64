"""The registry: clusters, organizations, people, their ties, the sector taxonomy and sources."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dari.core.bilingual import BilingualNamed, localized, name_order
from dari.core.services import Versioned
from dari.core.time import validate_in_range, validate_zone

from .queries import AffiliationQuerySet, OrganizationQuerySet, PersonQuerySet, SectorQuerySet


def validate_period(obj) -> None:
    """``ended_on`` may not come before ``started_on`` (the check constraints say the same)."""
    if obj.started_on and obj.ended_on and obj.ended_on < obj.started_on:
        raise ValidationError({"ended_on": _("The end date comes before the start date.")})


KEY_HELP = _("A stable natural key (letters, digits, hyphens) used by imports and the scenario.")


class Source(models.Model):
    """Where a fact comes from: a report, a filing, a web page; cited by every sourced fact."""

    key = models.SlugField(_("key"), max_length=100, unique=True, help_text=KEY_HELP)
    title_ko = models.CharField(_("title (Korean)"), max_length=500, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    url = models.URLField(_("address"), blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True, validators=[validate_in_range])
    published_at = models.DateTimeField(
        _("published at (time, if known)"), null=True, blank=True, validators=[validate_in_range]
    )
    published_time_zone = models.CharField(
        _("time zone of publication"), max_length=64, blank=True, validators=[validate_zone]
    )
    language = models.CharField(_("language"), max_length=8, blank=True)
    note_ko = models.TextField(_("note (Korean)"), blank=True)
    note_en = models.TextField(_("note (English)"), blank=True)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["key"]

    def __str__(self) -> str:
        return str(localized(self, "title")) or self.key


class Cluster(BilingualNamed):
    """A regional industry cluster, e.g. Ulsan or San Diego."""

    key = models.SlugField(_("key"), max_length=100, unique=True, help_text=KEY_HELP)
    country = models.CharField(_("country (ISO 3166)"), max_length=2)
    time_zone = models.CharField(_("time zone"), max_length=64, validators=[validate_zone])
    description_ko = models.TextField(_("description (Korean)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    source = models.ForeignKey(
        Source, verbose_name=_("source"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        ordering = ["key"]

    def get_absolute_url(self) -> str:
        return reverse("registry:cluster-detail", args=[self.pk])


class ClusterStatistic(models.Model):
    """A dated, sourced figure about a cluster, kept exactly as reported."""

    cluster = models.ForeignKey(Cluster, related_name="statistics", on_delete=models.CASCADE)
    key = models.SlugField(_("key"), max_length=100, help_text=KEY_HELP)
    label_ko = models.CharField(_("label (Korean)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=40, help_text=_("e.g. companies, people, USD"))
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    is_approximate = models.BooleanField(
        _("approximate, as reported"),
        default=False,
        help_text=_("The source gives the figure as 'about' or 'some'."),
    )
    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("cluster statistic")
        verbose_name_plural = _("cluster statistics")
        ordering = ["cluster", "key"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "key"], name="unique_statistic_per_cluster")
        ]

    def __str__(self) -> str:
        return f"{localized(self, 'label')}: {self.value} {self.unit}"


class Sector(models.Model):
    """A node of the bilingual sector/technology taxonomy, with synonyms in both languages."""

    class Kind(models.TextChoices):
        SECTOR = "sector", _("sector")
        TECHNOLOGY = "technology", _("technology")

    key = models.SlugField(_("key"), max_length=100, unique=True, help_text=KEY_HELP)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.SECTOR)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        related_name="children",
        on_delete=models.PROTECT,
    )
    name_ko = models.CharField(_("name (Korean)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    synonyms_ko = models.JSONField(_("synonyms (Korean)"), default=list, blank=True)
    synonyms_en = models.JSONField(_("synonyms (English)"), default=list, blank=True)

    objects = SectorQuerySet.as_manager()

    class Meta:
        verbose_name = _("sector or technology")
        verbose_name_plural = _("sectors and technologies")
        ordering = ["key"]

    def __str__(self) -> str:
        return str(localized(self, "name"))

    def all_terms(self) -> list[str]:
        return [self.name_ko, self.name_en, *self.synonyms_ko, *self.synonyms_en]


MAX_ALIASES = 20
MAX_ALIAS_LENGTH = 100


def validate_aliases(value) -> None:
    """Other names: a list of at most ``MAX_ALIASES`` different, non-empty names of at most
    ``MAX_ALIAS_LENGTH`` characters."""
    if not isinstance(value, list) or not all(isinstance(alias, str) for alias in value):
        raise ValidationError(_("Give the other names as a list of names."))
    if len(value) > MAX_ALIASES:
        raise ValidationError(_("Give at most %(count)d other names.") % {"count": MAX_ALIASES})
    if any(not alias.strip() for alias in value):
        raise ValidationError(_("An other name cannot be empty."))
    too_long = [alias for alias in value if len(alias) > MAX_ALIAS_LENGTH]
    if too_long:
        raise ValidationError(
            _("%(name)s… is longer than %(limit)d characters.")
            % {"name": too_long[0][:20], "limit": MAX_ALIAS_LENGTH}
        )
    if len({alias.strip().casefold() for alias in value}) < len(value):
        raise ValidationError(_("Each other name once, please."))


class Organization(Versioned, BilingualNamed):
    """Any organization in either cluster: a city, a university, a startup, an investor, ..."""

    class Kind(models.TextChoices):
        CITY_GOVERNMENT = "city_government", _("city government")
        UNIVERSITY = "university", _("university")
        RESEARCH_INSTITUTE = "research_institute", _("research institute")
        STARTUP = "startup", _("startup")
        INVESTOR = "investor", _("investor")
        CORPORATE = "corporate", _("corporate")
        HOSPITAL = "hospital", _("hospital")
        INCUBATOR = "incubator", _("incubator or association")
        DISTRIBUTOR = "distributor", _("distributor")

    key = models.SlugField(_("key"), max_length=100, unique=True, help_text=KEY_HELP)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    short_name_ko = models.CharField(_("short name (Korean)"), max_length=100, blank=True)
    short_name_en = models.CharField(_("short name (English)"), max_length=100, blank=True)
    aliases = models.JSONField(
        _("other names"),
        default=list,
        blank=True,
        validators=[validate_aliases],
        help_text=_(
            "Other names and common spellings, in either language (유니스트 for UNIST); search finds them."
        ),
    )
    description_ko = models.TextField(_("description (Korean)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_is_illustrative = models.BooleanField(
        _("description is illustrative"),
        default=False,
        help_text=_("The description was written for the demo and is not a sourced fact."),
    )
    is_illustrative = models.BooleanField(
        _("illustrative record"),
        default=False,
        help_text=_("A made-up organization written for the demo; never a real one."),
    )
    description_source = models.ForeignKey(
        Source,
        verbose_name=_("source of the description"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    website = models.URLField(_("website"), blank=True)
    cluster = models.ForeignKey(
        Cluster,
        verbose_name=_("cluster"),
        null=True,
        blank=True,
        related_name="organizations",
        on_delete=models.SET_NULL,
    )
    country = models.CharField(_("country (ISO 3166)"), max_length=2, blank=True)
    city_ko = models.CharField(_("city (Korean)"), max_length=100, blank=True)
    city_en = models.CharField(_("city (English)"), max_length=100, blank=True)
    sectors = models.ManyToManyField(
        Sector, verbose_name=_("sectors"), blank=True, related_name="organizations"
    )
    is_public = models.BooleanField(
        _("public profile"), default=True, help_text=_("Visible to visitors who are not signed in.")
    )
    source = models.ForeignKey(
        Source, verbose_name=_("source"), null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name_en", "name_ko"]
        indexes = [
            models.Index(fields=["kind"]),
            models.Index(fields=["name_ko"]),
            # The lists' orders (the API's default, the list page's in each language), so that a
            # page is read from an index instead of sorting every visible organization.
            models.Index(fields=["name_en", "name_ko", "id"], name="organization_api_order"),
            models.Index(name_order("ko"), "id", name="organization_korean_order"),
            models.Index(name_order("en"), "id", name="organization_english_order"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("registry:organization-detail", args=[self.pk])


class OrganizationFact(models.Model):
    """A sourced figure about an organization (e.g. UC San Diego's 27 Nobel laureates)."""

    organization = models.ForeignKey(Organization, related_name="facts", on_delete=models.CASCADE)
    key = models.SlugField(_("key"), max_length=100, help_text=KEY_HELP)
    label_ko = models.CharField(_("label (Korean)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=40)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    is_approximate = models.BooleanField(_("approximate, as reported"), default=False)
    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("organization fact")
        verbose_name_plural = _("organization facts")
        ordering = ["organization", "key"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "key"], name="unique_fact_per_organization")
        ]

    def __str__(self) -> str:
        return f"{localized(self, 'label')}: {self.value} {self.unit}"


PUBLIC_WITHOUT_BASIS = _(
    "A person can be listed publicly only with a recorded basis: their consent, or an official role "
    "in which a public source names them."
)


class Person(Versioned, BilingualNamed):
    """Someone named in the registry. Personal data (PIPA, GDPR): a person is shown to the public only
    with a recorded basis, their consent or an official role named in a public source."""

    class ListingBasis(models.TextChoices):
        CONSENT = "consent", _("the person consented")
        PUBLIC_ROLE = "public_role", _("named in a public source in an official role")

    key = models.SlugField(_("key"), max_length=100, unique=True, help_text=KEY_HELP)
    email = models.EmailField(_("e-mail"), blank=True)
    is_public = models.BooleanField(_("public profile"), default=False)
    public_listing_basis = models.CharField(
        _("basis for the public listing"),
        max_length=16,
        choices=ListingBasis.choices,
        blank=True,
        help_text=_("Required for a public profile."),
    )
    listing_consent_at = models.DateTimeField(
        _("consent to the listing given at"), null=True, blank=True, validators=[validate_in_range]
    )
    listing_consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consent recorded by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    # The account of the person themselves, linked by staff; ``user.person`` reads it. It lives here,
    # not on the user, because accounts comes before the registry (imports go one way).
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        related_name="person",
        on_delete=models.SET_NULL,
    )
    source = models.ForeignKey(
        Source, verbose_name=_("source"), null=True, blank=True, on_delete=models.PROTECT
    )
    # Search re-indexes people when this moves (matching.engine.fingerprint).
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name_en", "name_ko"]

    def get_absolute_url(self) -> str:
        return reverse("registry:person-detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.is_public and not self.public_listing_basis:
            raise ValidationError({"public_listing_basis": PUBLIC_WITHOUT_BASIS})


class Affiliation(models.Model):
    """A person's position at an organization, with dates when known."""

    person = models.ForeignKey(Person, related_name="affiliations", on_delete=models.CASCADE)
    organization = models.ForeignKey(Organization, related_name="affiliations", on_delete=models.CASCADE)
    title_ko = models.CharField(_("title (Korean)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    started_on = models.DateField(_("from"), null=True, blank=True, validators=[validate_in_range])
    ended_on = models.DateField(_("until"), null=True, blank=True, validators=[validate_in_range])
    source = models.ForeignKey(
        Source, verbose_name=_("source"), null=True, blank=True, on_delete=models.PROTECT
    )
    # An affiliation gives its organization's administrators a say over the person only once the
    # person themself or staff confirmed it (or the organization created the person with it): anyone
    # may otherwise claim anyone. Unconfirmed, it is a request, shown to its organization and the
    # person, and grants nothing.
    confirmed_at = models.DateTimeField(
        _("confirmed at"), null=True, blank=True, validators=[validate_in_range]
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    # Search re-indexes the person when this moves (matching.engine.fingerprint).
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = AffiliationQuerySet.as_manager()

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        ordering = ["organization", "person"]
        constraints = [
            models.UniqueConstraint(fields=["person", "organization", "title_en"], name="unique_affiliation"),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(started_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="affiliation_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {localized(self, 'title')} @ {self.organization}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def is_current(self) -> bool:
        """Not ended yet (an affiliation without an end date is current)."""
        return self.ended_on is None or self.ended_on >= date.today()

    def clean(self):
        super().clean()
        validate_period(self)


class Relationship(models.Model):
    """A directed tie between two organizations: ``subject`` invests in / partners with ... ``object``."""

    class Kind(models.TextChoices):
        INVESTS_IN = "invests_in", _("invests in")
        PARTNERS_WITH = "partners_with", _("partners with")
        PART_OF = "part_of", _("is part of")
        SUPPLIES = "supplies", _("supplies")

    subject = models.ForeignKey(Organization, related_name="relationships_out", on_delete=models.CASCADE)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    object = models.ForeignKey(Organization, related_name="relationships_in", on_delete=models.CASCADE)
    started_on = models.DateField(_("from"), null=True, blank=True, validators=[validate_in_range])
    ended_on = models.DateField(_("until"), null=True, blank=True, validators=[validate_in_range])
    note_ko = models.TextField(_("note (Korean)"), blank=True)
    note_en = models.TextField(_("note (English)"), blank=True)
    source = models.ForeignKey(
        Source, verbose_name=_("source"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        constraints = [
            models.UniqueConstraint(fields=["subject", "kind", "object"], name="unique_relationship"),
            models.CheckConstraint(
                condition=~models.Q(subject=models.F("object")), name="relationship_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.get_kind_display()} {self.object}"

    def clean(self):
        super().clean()
        if self.subject_id is not None and self.subject_id == self.object_id:
            raise ValidationError({"object": _("An organization cannot be related to itself.")})
        validate_period(self)
