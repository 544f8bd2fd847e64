"""factory-boy factories for every model the tests build by hand.

Defaults are small, valid rows with unique natural keys; pass related objects explicitly when a test
cares about them. Names come in both languages, as the models expect.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from dari.accounts.models import User
from dari.agreements.models import ActionItem, Agreement, AgreementParty, CooperationArea
from dari.outcomes.models import Outcome
from dari.outcomes.vocabulary import Kind, Stage
from dari.programs.models import Participant, Program, ProgramRole, yearly_cohort
from dari.registry.models import (
    Affiliation,
    Cluster,
    ClusterStatistic,
    Organization,
    Person,
    Sector,
    Source,
)

TEST_PASSWORD = "correct horse battery staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@dari.invalid")
    password = factory.django.Password(TEST_PASSWORD)
    is_active = True


class SourceFactory(DjangoModelFactory):
    class Meta:
        model = Source

    key = factory.Sequence(lambda n: f"source-{n}")
    title_ko = factory.Sequence(lambda n: f"보도 {n}")
    title_en = factory.Sequence(lambda n: f"Report {n}")
    published_on = date(2024, 1, 18)
    language = "ko"


class ClusterFactory(DjangoModelFactory):
    class Meta:
        model = Cluster

    key = factory.Sequence(lambda n: f"cluster-{n}")
    name_ko = factory.Sequence(lambda n: f"클러스터 {n}")
    name_en = factory.Sequence(lambda n: f"Cluster {n}")
    country = "KR"
    time_zone = "Asia/Seoul"


class ClusterStatisticFactory(DjangoModelFactory):
    class Meta:
        model = ClusterStatistic

    cluster = factory.SubFactory(ClusterFactory)
    key = factory.Sequence(lambda n: f"statistic-{n}")
    label_ko = "바이오 기업 수"
    label_en = "bio companies"
    value = 1000
    unit = "companies"
    is_approximate = True
    source = factory.SubFactory(SourceFactory)


class SectorFactory(DjangoModelFactory):
    class Meta:
        model = Sector

    key = factory.Sequence(lambda n: f"sector-{n}")
    kind = Sector.Kind.SECTOR
    name_ko = factory.Sequence(lambda n: f"분야 {n}")
    name_en = factory.Sequence(lambda n: f"Sector {n}")


class OrganizationFactory(DjangoModelFactory):
    """An organization; ``sectors=[...]`` tags it."""

    class Meta:
        model = Organization
        skip_postgeneration_save = True

    key = factory.Sequence(lambda n: f"organization-{n}")
    kind = Organization.Kind.STARTUP
    name_ko = factory.Sequence(lambda n: f"기관 {n}")
    name_en = factory.Sequence(lambda n: f"Organization {n}")
    cluster = factory.SubFactory(ClusterFactory)
    country = "KR"
    is_public = True

    @factory.post_generation
    def sectors(organization, create, extracted, **kwargs):
        if create and extracted:
            organization.sectors.set(extracted)


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    key = factory.Sequence(lambda n: f"person-{n}")
    name_ko = factory.Sequence(lambda n: f"사람 {n}")
    name_en = factory.Sequence(lambda n: f"Person {n}")
    is_public = True
    # A public person needs a recorded basis (see Person.clean); officials named in reports have one.
    public_listing_basis = factory.LazyAttribute(lambda person: "public_role" if person.is_public else "")


class AffiliationFactory(DjangoModelFactory):
    class Meta:
        model = Affiliation

    person = factory.SubFactory(PersonFactory)
    organization = factory.SubFactory(OrganizationFactory)
    title_ko = "대표"
    title_en = factory.Sequence(lambda n: f"Chief Executive {n}")
    confirmed_at = factory.LazyFunction(timezone.now)


class AgreementFactory(DjangoModelFactory):
    class Meta:
        model = Agreement

    key = factory.Sequence(lambda n: f"agreement-{n}")
    kind = Agreement.Kind.MOU
    title_ko = factory.Sequence(lambda n: f"업무 협약 {n}")
    title_en = factory.Sequence(lambda n: f"MOU {n}")
    signed_at = datetime(2024, 1, 17, 10, 30, tzinfo=ZoneInfo("America/Los_Angeles"))
    signed_time_zone = "America/Los_Angeles"
    is_public = True


class AgreementPartyFactory(DjangoModelFactory):
    class Meta:
        model = AgreementParty

    agreement = factory.SubFactory(AgreementFactory)
    organization = factory.SubFactory(OrganizationFactory, kind=Organization.Kind.CITY_GOVERNMENT)
    position = factory.Sequence(lambda n: n % 100)
    head = factory.SubFactory(PersonFactory)
    head_title_en = "Mayor"
    signatory = factory.SelfAttribute("head")
    signatory_title_en = "Mayor"


class CooperationAreaFactory(DjangoModelFactory):
    class Meta:
        model = CooperationArea

    agreement = factory.SubFactory(AgreementFactory)
    number = factory.Sequence(lambda n: n + 1)
    title_ko = factory.Sequence(lambda n: f"협력 분야 {n}")
    title_en = factory.Sequence(lambda n: f"Cooperation area {n}")


class ActionItemFactory(DjangoModelFactory):
    """An action item owned by a party of its own agreement."""

    class Meta:
        model = ActionItem

    agreement = factory.SubFactory(AgreementFactory)
    key = factory.Sequence(lambda n: f"action-item-{n}")
    title_ko = factory.Sequence(lambda n: f"실행 과제 {n}")
    title_en = factory.Sequence(lambda n: f"Action item {n}")
    owner_party = factory.SubFactory(AgreementPartyFactory, agreement=factory.SelfAttribute("..agreement"))
    status = ActionItem.Status.OPEN


class ProgramFactory(DjangoModelFactory):
    class Meta:
        model = Program

    key = factory.Sequence(lambda n: f"program-{n}")
    name_ko = factory.Sequence(lambda n: f"지원 사업 {n}")
    name_en = factory.Sequence(lambda n: f"Support program {n}")
    start_year = 2023
    is_public = True


class ProgramRoleFactory(DjangoModelFactory):
    class Meta:
        model = ProgramRole

    program = factory.SubFactory(ProgramFactory)
    organization = factory.SubFactory(OrganizationFactory, kind=Organization.Kind.UNIVERSITY)
    role = ProgramRole.Role.OPERATOR


class ParticipantFactory(DjangoModelFactory):
    class Meta:
        model = Participant

    program = factory.SubFactory(ProgramFactory)
    organization = factory.SubFactory(OrganizationFactory)
    since = None
    status = Participant.Status.ACTIVE
    # The program's cohort of the year it joined (or of no year), as a participant recorded without a call.
    cohort = factory.LazyAttribute(
        lambda participant: yearly_cohort(
            participant.program, participant.since.year if participant.since else None
        )
    )


class OutcomeFactory(DjangoModelFactory):
    """A market entry by a fresh startup, reported on the scenario's date; no counterparty, no program."""

    class Meta:
        model = Outcome

    key = factory.Sequence(lambda n: f"outcome-{n}")
    kind = Kind.MARKET_ENTRY
    stage = Stage.ENTERED
    startup = factory.SubFactory(OrganizationFactory)
    title_ko = "미국 시장 진출"
    title_en = "Entry into the US market"
    market_country = "US"
    reported_on = date(2024, 1, 18)
    is_public = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Saved with its amount's USD and KRW values locked, as ``record_outcome`` saves it."""
        from dari.outcomes.values import lock_values

        outcome = model_class(*args, **kwargs)
        lock_values(outcome)
        outcome.save()
        return outcome
