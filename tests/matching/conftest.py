"""A small bilingual world for matching: a Korean thyroid startup, partners that fit it and ones
that do not, in both clusters, one of them private."""

import pytest

from dari.accounts.audit import Actor
from dari.accounts.models import Role
from dari.accounts.services import grant_membership
from dari.matching import engine
from dari.matching.models import MatchingProfile
from dari.registry.models import Organization, Relationship

from ..factories import ClusterFactory, OrganizationFactory, SectorFactory, UserFactory


@pytest.fixture
def world(db):
    ulsan = ClusterFactory(key="ulsan", name_en="Ulsan", name_ko="울산", country="KR", time_zone="Asia/Seoul")
    san_diego = ClusterFactory(
        key="san-diego",
        name_en="San Diego",
        name_ko="샌디에이고",
        country="US",
        time_zone="America/Los_Angeles",
    )
    health = SectorFactory(key="digital-health", name_en="digital health", name_ko="디지털 헬스케어")
    thyroid = SectorFactory(
        key="thyroid",
        parent=health,
        name_en="thyroid",
        name_ko="갑상선",
        synonyms_en=["thyroid care"],
        synonyms_ko=["갑상샘"],
    )
    oncology = SectorFactory(key="oncology", name_en="oncology", name_ko="종양학", synonyms_ko=["암"])
    startup = OrganizationFactory(
        key="glandscope",
        kind=Organization.Kind.STARTUP,
        name_ko="글랜드스코프",
        name_en="Glandscope",
        description_ko="웨어러블 심박 데이터로 갑상선 기능을 추적하는 갑상선 관리 앱",
        description_en="",
        cluster=ulsan,
        country="KR",
        city_en="Ulsan",
        city_ko="울산",
        is_public=False,
        sectors=[thyroid],
    )
    MatchingProfile.objects.create(organization=startup, stage="series_a", amount_sought_usd=3_000_000)
    fit = OrganizationFactory(
        key="endo-clinic",
        kind=Organization.Kind.HOSPITAL,
        name_en="Harbor Endocrine Clinics",
        name_ko="",
        description_en="An endocrinology clinic network running remote thyroid care programs.",
        description_ko="",
        cluster=san_diego,
        country="US",
        city_en="San Diego",
        sectors=[thyroid],
    )
    fund = OrganizationFactory(
        key="pacific-health-fund",
        kind=Organization.Kind.INVESTOR,
        name_en="Pacific Health Fund",
        name_ko="퍼시픽 헬스 펀드",
        description_en="Invests in digital health and wearable monitoring startups from Series A.",
        cluster=san_diego,
        country="US",
        city_en="San Diego",
        sectors=[health],
    )
    MatchingProfile.objects.create(
        organization=fund,
        check_min_usd=1_000_000,
        check_max_usd=5_000_000,
        stages_of_interest=["series_a", "series_b"],
        regions_of_interest=["Ulsan", "San Diego"],
    )
    misfit = OrganizationFactory(
        key="tumor-capital",
        kind=Organization.Kind.INVESTOR,
        name_en="Tumor Therapeutics Capital",
        description_en="Funds late-stage oncology drug developers.",
        cluster=san_diego,
        country="US",
        city_en="San Diego",
        sectors=[oncology],
    )
    hidden = OrganizationFactory(
        key="quiet-partner",
        kind=Organization.Kind.CORPORATE,
        name_en="Quiet Thyroid Devices",
        description_en="Makes thyroid ultrasound devices.",
        cluster=san_diego,
        country="US",
        is_public=False,
        sectors=[thyroid],
    )
    member = UserFactory(username="startup-member")
    grant_membership(Actor.system(), member, Role.ORGANIZATION_MEMBER, startup)
    outsider = UserFactory(username="outsider")
    engine.refresh_index()  # as the worker does; pages never build the index themselves
    return {
        "startup": startup,
        "fit": fit,
        "fund": fund,
        "misfit": misfit,
        "hidden": hidden,
        "member": member,
        "outsider": outsider,
        "thyroid": thyroid,
        "relationship_kind": Relationship.Kind,
    }
