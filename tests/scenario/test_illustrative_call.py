"""The scenario's illustrative call: a made-up call of the real program, run through the app's own use
cases, with made-up applicants and reviewers only, and the three real startups left without any
application or score."""

import copy
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation

from dari.accounts.models import AuditEntry, User
from dari.programs.models import Application, Call, Review
from dari.programs.ranking import rank_call
from dari.scenario.loader import load_scenario

from ..helpers import basic_auth, get_json
from .test_loader import PROGRAM, refuses_and_writes_nothing, scenario_data, write_scenario

pytestmark = pytest.mark.django_db

SEOUL = ZoneInfo("Asia/Seoul")
REVIEWERS = {"demo-reviewer-choi", "demo-reviewer-jung", "demo-reviewer-harper", "demo-reviewer-nguyen"}


def the_call() -> Call:
    return Call.objects.get(program__key=PROGRAM, is_illustrative=True)


def test_the_call_is_illustrative_closed_and_was_open_in_seoul_time(scenario):
    call = the_call()

    assert call.round == 1 and call.status == Call.Status.CLOSED
    assert call.time_zone == "Asia/Seoul"
    assert call.opens_at == datetime(2026, 9, 1, 9, 0, tzinfo=SEOUL)
    assert call.closes_at == datetime(2026, 10, 16, 18, 0, tzinfo=SEOUL)
    assert call.title_ko.startswith("[예시]") and call.title_en.startswith("[Illustrative]")
    assert [criterion["weight"] for criterion in call.rubric] == [3, 3, 2, 2]


def test_applicants_are_made_up_startups_and_the_real_ones_have_no_application_or_review(scenario):
    applications = Application.objects.filter(call=the_call()).select_related("startup")

    assert all(application.startup.is_illustrative for application in applications)
    assert {a.startup.key for a in applications if a.status == "submitted"} == {
        "demo-ondang",
        "demo-hyeoldang-jigi",
        "demo-nungyeol-vision",
        "demo-bangul-diagnostics",
        "demo-dasi-georeum",
    }
    assert applications.get(status="draft").startup.key == "demo-haedam-materials"
    for real in ("thyroscope", "sb-solution", "dna-corporation"):
        assert not Application.objects.filter(startup__key=real).exists()
        assert not Review.objects.filter(application__startup__key=real).exists()
    # The last one came in twelve minutes before the deadline, in the call's zone.
    last = applications.get(startup__key="demo-nungyeol-vision")
    assert last.submitted_at == datetime(2026, 10, 16, 17, 48, tzinfo=SEOUL)


def test_each_submitted_application_has_three_reviews_and_loads_differ_by_at_most_one(scenario):
    reviews = Review.objects.filter(application__call=the_call()).select_related("reviewer")

    per_application = {}
    per_reviewer = {}
    for review in reviews:
        per_application[review.application_id] = per_application.get(review.application_id, 0) + 1
        per_reviewer[review.reviewer.username] = per_reviewer.get(review.reviewer.username, 0) + 1
    assert set(per_application.values()) == {3} and len(per_application) == 5
    assert set(per_reviewer) == REVIEWERS
    assert max(per_reviewer.values()) - min(per_reviewer.values()) <= 1
    # One review is still to do, so the demo shows work in progress.
    assert reviews.filter(status="assigned").count() == 1
    assert reviews.filter(status="submitted").count() == 14


def test_the_reviewer_whose_fund_invests_in_two_applicants_reviews_neither(scenario):
    """Choi is a member of a made-up fund that invests in Hyeoldang Jigi and Bangul Diagnostics: Dari
    derives the conflict and the scenario, loaded through the assignment use case, respects it."""
    choi = User.objects.get(username="demo-reviewer-choi")

    reviewed = set(Review.objects.filter(reviewer=choi).values_list("application__startup__key", flat=True))

    assert reviewed == {"demo-ondang", "demo-nungyeol-vision", "demo-dasi-georeum"}


def test_the_ranking_lists_the_five_reviewed_applications_with_the_best_fit_first(scenario):
    ranking = rank_call(the_call(), None)

    assert len(ranking.lines) == 5
    assert ranking.lines[0].application.startup.key == "demo-nungyeol-vision"


def test_the_work_is_recorded_by_whoever_did_it(scenario):
    """The applicant's account started and sent Ondang's application; each reviewer saved and sent
    their own review: the audit log says so, as it would for work done in the app."""
    ondang = Application.objects.get(call=the_call(), startup__key="demo-ondang")
    entries = AuditEntry.objects.filter(object_id=ondang.pk, action__startswith="programs.application")

    assert set(entries.values_list("actor__username", flat=True)) == {"demo-founder-ondang"}
    review_actors = set(
        AuditEntry.objects.filter(action="programs.review.status_changed").values_list(
            "actor__username", flat=True
        )
    )
    assert review_actors == REVIEWERS


def test_the_made_up_accounts_cannot_sign_in_until_the_demo_opens_them(scenario, client, settings, tmp_path):
    accounts = User.objects.filter(username__startswith="demo-")
    assert accounts.count() == 5
    assert not any(user.has_usable_password() for user in accounts)

    settings.VAR_DIR = tmp_path
    call_command("demo", no_serve=True)

    choi = User.objects.get(username="demo-reviewer-choi")
    assert choi.check_password("dari-demo-2024")
    reviews = get_json(client, "/api/v1/reviews", **basic_auth("demo-reviewer-choi", "dari-demo-2024"))
    # Her own three, and (the call shares reviews once one's own is in) the others' on the same three.
    assert sum(item["reviewer"] == "demo-reviewer-choi" for item in reviews["items"]) == 3
    assert {item["application"]["startup"]["name_en"] for item in reviews["items"]} == {
        "Ondang Inc.",
        "Nungyeol Vision Inc.",
        "Dasi Georeum Inc.",
    }


@pytest.mark.parametrize(
    ("language", "notice"),
    [
        ("ko", "지원 기업, 심사위원, 점수 모두 실제가 아닙니다"),
        ("en", "its applicants, reviewers and scores are not real"),
    ],
)
def test_the_call_page_says_it_is_illustrative_in_both_languages(
    scenario, superuser, client, language, notice
):
    client.force_login(superuser)
    with translation.override(language):
        page = client.get(the_call().get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language)

    assert page.status_code == 200
    assert notice in page.content.decode()


def test_loading_again_leaves_the_call_and_what_users_did_to_it(scenario):
    call = the_call()
    Call.objects.filter(pk=call.pk).update(title_en="Renamed by a manager")

    assert load_scenario() == {}
    assert the_call().title_en == "Renamed by a manager"


# --- the loader's rules ------------------------------------------------------------------------------


def with_call(change) -> dict:
    data = scenario_data()
    change(copy.deepcopy(data["programs"][0]["calls"][0]), data)
    return data


def test_a_call_not_marked_illustrative_is_refused(tmp_path):
    def change(call, data):
        del call["is_illustrative"]
        data["programs"][0]["calls"] = [call]

    refuses_and_writes_nothing(write_scenario(tmp_path, with_call(change)), "a call here is illustrative")


def test_a_real_startup_as_applicant_is_refused(tmp_path):
    def change(call, data):
        call["applications"][0]["startup"] = "thyroscope"
        data["programs"][0]["calls"] = [call]

    refuses_and_writes_nothing(write_scenario(tmp_path, with_call(change)), "'thyroscope' is a real startup")


def test_an_account_without_the_demo_prefix_or_in_a_real_organization_is_refused(tmp_path):
    data = scenario_data()
    data["accounts"][0]["username"] = "choi"
    refuses_and_writes_nothing(write_scenario(tmp_path, data), "usernames start with demo-")

    data = scenario_data()
    data["accounts"][4]["roles"] = [{"role": "organization_member", "organization": "thyroscope"}]
    refuses_and_writes_nothing(write_scenario(tmp_path, data), "real organization 'thyroscope'")


def test_assigning_a_conflicted_reviewer_is_refused_like_in_the_app(tmp_path):
    def change(call, data):
        hyeoldang = next(item for item in call["applications"] if item["startup"] == "demo-hyeoldang-jigi")
        hyeoldang["reviews"][0]["reviewer"] = "demo-reviewer-choi"
        data["programs"][0]["calls"] = [call]

    with pytest.raises(ValidationError, match="Taehwagang|태화강"):
        load_scenario(write_scenario(tmp_path, with_call(change)))
    assert not Call.objects.exists() and not User.objects.exists()
