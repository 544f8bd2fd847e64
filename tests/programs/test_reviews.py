"""Review use cases: rubrics, assignment by hand and automatic, conflicts of interest derived from
the registry, reviews from draft to submitted or recused, and who sees which review."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from dari.accounts.audit import Actor
from dari.accounts.models import AuditEntry, Role
from dari.accounts.services import grant_membership
from dari.notifications.models import Notification
from dari.programs import reviews
from dari.programs.conflicts import conflicts_of
from dari.programs.models import Application, DeclaredConflict, Review, ReviewPhase
from dari.programs.rubric import check_rubric, check_scores, weighted_total
from dari.registry.models import Relationship

from ..factories import AffiliationFactory, OrganizationFactory, PersonFactory, SectorFactory
from .reviewing import RUBRIC, SCALE, make_panel

pytestmark = pytest.mark.django_db


def actions() -> list[str]:
    return list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))


def link_person(user, organization, **dates):
    person = PersonFactory(user=user)
    return AffiliationFactory(person=person, organization=organization, **dates)


# --- rubrics -----------------------------------------------------------------------------------------


def test_a_rubric_is_checked_and_stored_as_data():
    assert check_rubric(RUBRIC) == [{**criterion, "help_ko": "", "help_en": ""} for criterion in RUBRIC]
    assert check_rubric([{**RUBRIC[0], "weight": "1.5"}])[0]["weight"] == 1.5


@pytest.mark.parametrize(
    "criterion, message",
    [
        ({**RUBRIC[0], "weight": 0}, "weight"),
        ({**RUBRIC[0], "weight": True}, "weight"),
        ({**RUBRIC[0], "key": "Team!"}, "key"),
        ({**RUBRIC[0], "label_ko": "", "label_en": ""}, "label"),
        ({**RUBRIC[0], "scale": SCALE[:1]}, "from 2"),
        ({**RUBRIC[0], "scale": [SCALE[1], SCALE[0]]}, "increase"),
        ({**RUBRIC[0], "scale": [SCALE[0], {"value": 2, "label_ko": "", "label_en": ""}]}, "label"),
        ({**RUBRIC[0], "colour": "red"}, "unknown fields colour"),
    ],
)
def test_a_wrong_rubric_is_refused_naming_the_criterion(criterion, message):
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        check_rubric([criterion])
    assert message in raised.value.message_dict["rubric"][0]


def test_two_criteria_with_one_key_are_refused():
    with pytest.raises(ValidationError):
        check_rubric([RUBRIC[0], RUBRIC[0]])


def test_scores_follow_the_scale_and_a_submission_needs_them_all():
    assert check_scores(RUBRIC, {"team": 3}, complete=False) == {"team": 3}
    with pytest.raises(ValidationError) as raised:
        check_scores(RUBRIC, {"team": 4, "taste": 1}, complete=True)
    assert set(raised.value.message_dict) == {"scores", "scores.team", "scores.market"}
    assert weighted_total(RUBRIC, {"team": 3, "market": 1}) == pytest.approx(7 / 3)
    assert weighted_total(RUBRIC, {"team": 3}) is None


def test_managers_set_the_rubric_of_a_call_and_of_a_phase():
    panel = make_panel()
    phase = ReviewPhase.objects.create(call=panel.call, position=1, name_en="Panel")
    reviews.set_review_setup(Actor(panel.manager), panel.call, None, {"reviews_shared": True})
    reviews.set_review_setup(
        Actor(panel.manager), panel.call, phase, {"rubric": RUBRIC[:1], "blind_review": True}
    )

    phase.refresh_from_db()
    panel.call.refresh_from_db()
    assert panel.call.reviews_shared and phase.blind_review
    assert reviews.review_setup(panel.call, phase).rubric == check_rubric(RUBRIC[:1])
    assert reviews.review_setup(panel.call, None).rubric == RUBRIC
    assert actions().count("programs.call.review_setup_changed") == 2
    with pytest.raises(PermissionDenied):
        reviews.set_review_setup(Actor(panel.reviewers[0]), panel.call, None, {"blind_review": True})


def test_the_rubric_is_fixed_once_a_review_under_it_is_submitted():
    panel = make_panel(startups=1, reviewers=1)
    (review,) = reviews.assign_reviewers(
        Actor(panel.manager), panel.call, None, [(panel.applications[0], panel.reviewers[0])]
    )
    reviews.save_review(Actor(panel.reviewers[0]), review, {"scores": {"team": 2, "market": 3}})
    reviews.set_review_status(Actor(panel.reviewers[0]), review, "submitted")
    with pytest.raises(ValidationError):
        reviews.set_review_setup(Actor(panel.manager), panel.call, None, {"rubric": RUBRIC[:1]})
    reviews.set_review_setup(Actor(panel.manager), panel.call, None, {"reviews_shared": True})


# --- conflicts ---------------------------------------------------------------------------------------


def test_conflicts_are_derived_from_affiliations_memberships_and_relationships():
    panel = make_panel(startups=6, reviewers=1)
    reviewer = panel.reviewers[0]
    worked, member, invested, partner, parent, clean = panel.startups
    fund = OrganizationFactory(kind="investor", name_en="Reviewer Fund")
    link_person(reviewer, fund, started_on=date(2020, 1, 1))
    AffiliationFactory(person=reviewer.person, organization=worked, ended_on=date(2021, 6, 30))
    grant_membership(Actor.system(), reviewer, Role.ORGANIZATION_MEMBER, member)
    Relationship.objects.create(subject=fund, kind="invests_in", object=invested)
    Relationship.objects.create(subject=partner, kind="partners_with", object=fund)
    Relationship.objects.create(subject=fund, kind="part_of", object=parent)
    Relationship.objects.create(subject=fund, kind="supplies", object=clean)

    found = conflicts_of([reviewer.pk])[reviewer.pk]

    codes = {organization: [reason.code for reason in reasons] for organization, reasons in found.items()}
    assert codes == {
        fund.pk: ["worked_at"],
        worked.pk: ["worked_at"],
        member.pk: ["member"],
        invested.pk: ["invests_in"],
        partner.pk: ["partnered_by"],
        parent.pk: ["part_of"],
    }
    with translation.override("en"):
        assert (
            found[invested.pk][0].describe()
            == "Reviewer Fund, the reviewer's organization, invests in the applicant"
        )
        assert (
            found[worked.pk][0].describe()
            == "The reviewer works or worked at the applicant (until 2021-06-30)"
        )


def test_conflicts_of_many_reviewers_take_a_fixed_number_of_queries(django_assert_max_num_queries):
    panel = make_panel(startups=2, reviewers=6)
    for reviewer, startup in zip(panel.reviewers, panel.startups * 3, strict=True):
        link_person(reviewer, startup)
    with django_assert_max_num_queries(6):
        found = conflicts_of([reviewer.pk for reviewer in panel.reviewers])
    assert sum(len(organizations) for organizations in found.values()) == 6


# --- assignment --------------------------------------------------------------------------------------


def test_managers_assign_reviewers_by_hand_and_a_conflict_is_refused_with_its_reason():
    panel = make_panel(startups=2, reviewers=2)
    first, second = panel.reviewers
    link_person(second, panel.startups[0])

    created = reviews.assign_reviewers(
        Actor(panel.manager),
        panel.call,
        None,
        [(panel.applications[0], first), (panel.applications[1], second)],
    )

    assert [(review.application, review.reviewer) for review in created] == [
        (panel.applications[0], first),
        (panel.applications[1], second),
    ]
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        reviews.assign_reviewers(Actor(panel.manager), panel.call, None, [(panel.applications[0], second)])
    assert "works or worked at the applicant" in raised.value.message_dict["reviewer"][0]
    assert Review.objects.count() == 2
    assert actions().count("programs.call.reviewers_assigned") == 1
    # Assigning again what is assigned changes nothing.
    assert (
        reviews.assign_reviewers(Actor(panel.manager), panel.call, None, [(panel.applications[0], first)])
        == []
    )


def test_only_program_reviewers_and_submitted_applications_are_assigned():
    panel = make_panel(startups=1, reviewers=1)
    with pytest.raises(ValidationError):
        reviews.assign_reviewers(
            Actor(panel.manager), panel.call, None, [(panel.applications[0], panel.outsider)]
        )
    Application.objects.filter(pk=panel.applications[0].pk).update(status="draft")
    with pytest.raises(ValidationError):
        reviews.assign_reviewers(
            Actor(panel.manager), panel.call, None, [(panel.applications[0], panel.reviewers[0])]
        )
    with pytest.raises(PermissionDenied):
        reviews.assign_reviewers(Actor(panel.reviewers[0]), panel.call, None, [])


def test_automatic_assignment_gives_n_reviews_balanced_and_never_a_conflict():
    panel = make_panel(startups=7, reviewers=4)
    link_person(panel.reviewers[0], panel.startups[0])
    fund = OrganizationFactory(kind="investor")
    link_person(panel.reviewers[1], fund)
    Relationship.objects.create(subject=fund, kind="invests_in", object=panel.startups[1])

    created = reviews.auto_assign(Actor(panel.manager), panel.call, None, 2)

    assert len(created) == 14
    pairs = {(review.application.startup_id, review.reviewer_id) for review in Review.objects.all()}
    assert (panel.startups[0].pk, panel.reviewers[0].pk) not in pairs
    assert (panel.startups[1].pk, panel.reviewers[1].pk) not in pairs
    loads = [Review.objects.filter(reviewer=reviewer).count() for reviewer in panel.reviewers]
    assert max(loads) - min(loads) <= 1
    for application in panel.applications:
        assert application.reviews.count() == 2
    entry = AuditEntry.objects.get(action="programs.call.reviewers_assigned")
    assert entry.changes["how"] == [None, "automatic"]
    # One notice per reviewer, naming the call and a count, never an applicant.
    notices = Notification.objects.filter(kind="programs.reviews_assigned")
    assert notices.count() == 4
    for notice in notices:
        assert "Stealth" not in notice.title_en + notice.body_en + notice.title_ko + notice.body_ko


def test_an_impossible_automatic_assignment_is_refused_whole():
    panel = make_panel(startups=3, reviewers=3)
    link_person(panel.reviewers[0], panel.startups[2])
    link_person(panel.reviewers[1], panel.startups[2])
    before = actions()

    with translation.override("en"), pytest.raises(ValidationError) as raised:
        reviews.auto_assign(Actor(panel.manager), panel.call, None, 2)

    message = raised.value.message_dict["per_application"][0]
    assert f"Application #{panel.applications[2].pk} cannot get 2 reviews: only 1 of the 3" in message
    assert Review.objects.count() == 0 and actions() == before and not Notification.objects.exists()


def test_automatic_assignment_tops_up_and_follows_preferences_and_expertise():
    panel = make_panel(startups=2, reviewers=2)
    first, second = panel.reviewers
    health = SectorFactory()
    panel.startups[1].sectors.add(health)
    reviews.auto_assign(
        Actor(panel.manager),
        panel.call,
        None,
        1,
        preferences=[(panel.applications[0], second, 1)],
        expertise={first: [health]},
    )
    assert set(Review.objects.values_list("application", "reviewer")) == {
        (panel.applications[0].pk, second.pk),
        (panel.applications[1].pk, first.pk),
    }
    reviews.auto_assign(Actor(panel.manager), panel.call, None, 2)
    assert Review.objects.count() == 4


def test_reviews_of_a_phase_are_assigned_apart():
    panel = make_panel(startups=2, reviewers=2)
    phase = ReviewPhase.objects.create(call=panel.call, position=1, name_en="Screening")
    reviews.auto_assign(Actor(panel.manager), panel.call, None, 1)
    reviews.auto_assign(Actor(panel.manager), panel.call, phase, 2)
    assert Review.objects.filter(phase__isnull=True).count() == 2
    assert Review.objects.filter(phase=phase).count() == 4


# --- the review --------------------------------------------------------------------------------------


def assigned(panel, reviewer=None, application=None):
    (review,) = reviews.assign_reviewers(
        Actor(panel.manager),
        panel.call,
        None,
        [(application or panel.applications[0], reviewer or panel.reviewers[0])],
    )
    return review


def test_a_reviewer_saves_a_draft_then_submits():
    panel = make_panel(startups=1, reviewers=1)
    review = assigned(panel)
    reviewer = Actor(panel.reviewers[0])

    reviews.save_review(reviewer, review, {"scores": {"team": 3}, "comment": "Strong team"})
    with pytest.raises(ValidationError) as raised:
        reviews.set_review_status(reviewer, review, "submitted")
    assert "scores.market" in raised.value.message_dict
    reviews.save_review(reviewer, review, {"scores": {"market": 2}, "comment_to_applicant": "Show traction"})
    reviews.set_review_status(reviewer, review, "submitted")

    review.refresh_from_db()
    assert review.status == "submitted" and review.scores == {"team": 3, "market": 2}
    assert review.submitted_at is not None
    with pytest.raises(PermissionDenied):
        reviews.save_review(reviewer, review, {"comment": "changed my mind"})
    assert actions()[-3:] == [
        "programs.review.changed",
        "programs.review.changed",
        "programs.review.status_changed",
    ]


def test_only_the_reviewer_writes_their_review():
    panel = make_panel(startups=1, reviewers=2)
    review = assigned(panel)
    for someone in (panel.reviewers[1], panel.manager, panel.outsider):
        with pytest.raises(PermissionDenied):
            reviews.save_review(Actor(someone), review, {"comment": "x"})
        with pytest.raises(PermissionDenied):
            reviews.set_review_status(Actor(someone), review, "submitted")


def test_recusal_declares_a_conflict_and_hides_the_application():
    panel = make_panel(startups=2, reviewers=2)
    review = assigned(panel)
    reviewer = panel.reviewers[0]
    with pytest.raises(ValidationError):
        reviews.set_review_status(Actor(reviewer), review, "recused")

    reviews.set_review_status(Actor(reviewer), review, "recused", reason="I advised them last year")

    declared = DeclaredConflict.objects.get()
    assert (declared.reviewer, declared.organization) == (reviewer, panel.startups[0])
    assert not Application.objects.visible_to(reviewer).exists()
    with translation.override("en"):
        (reason,) = conflicts_of([reviewer.pk])[reviewer.pk][panel.startups[0].pk]
        assert reason.describe() == "The reviewer declared a conflict: I advised them last year"
    # The automatic assignment keeps the reviewer out of it from then on.
    reviews.auto_assign(Actor(panel.manager), panel.call, None, 1)
    assert not Review.objects.filter(
        reviewer=reviewer, application=panel.applications[0], status="assigned"
    ).exists()


def test_managers_take_back_a_review_not_yet_submitted():
    panel = make_panel(startups=1, reviewers=1)
    review = assigned(panel)
    reviews.unassign(Actor(panel.manager), review)
    assert not Review.objects.exists()
    assert actions()[-1] == "programs.review.unassigned"


# --- who sees what -----------------------------------------------------------------------------------


def test_a_reviewer_sees_only_the_applications_assigned_to_them():
    panel = make_panel(startups=3, reviewers=2)
    assigned(panel, panel.reviewers[0], panel.applications[1])
    assert list(Application.objects.visible_to(panel.reviewers[0])) == [panel.applications[1]]
    assert not Application.objects.visible_to(panel.reviewers[1]).exists()


def test_a_conflict_found_after_the_assignment_hides_the_application():
    panel = make_panel(startups=1, reviewers=1)
    review = assigned(panel)
    link_person(panel.reviewers[0], panel.startups[0])
    assert not Application.objects.visible_to(panel.reviewers[0]).exists()
    assert not Review.objects.visible_to(panel.reviewers[0]).exists()
    with pytest.raises(PermissionDenied):
        reviews.save_review(Actor(panel.reviewers[0]), review, {"comment": "x"})


def test_a_reviewer_no_longer_sees_private_organizations_of_the_program():
    from dari.registry.models import Organization

    from ..factories import ParticipantFactory

    panel = make_panel(startups=1, reviewers=1)
    participant = ParticipantFactory(
        program=panel.call.program, organization=OrganizationFactory(is_public=False)
    )
    assert (
        not Organization.objects.visible_to(panel.reviewers[0])
        .filter(pk=participant.organization_id)
        .exists()
    )
    assert Organization.objects.visible_to(panel.manager).filter(pk=participant.organization_id).exists()


def test_reviewers_see_the_others_reviews_only_after_submitting_and_when_allowed():
    panel = make_panel(startups=1, reviewers=2)
    first, second = panel.reviewers
    mine = assigned(panel, first)
    theirs = assigned(panel, second)
    for reviewer, review in ((second, theirs),):
        reviews.save_review(Actor(reviewer), review, {"scores": {"team": 1, "market": 1}})
        reviews.set_review_status(Actor(reviewer), review, "submitted")

    assert list(Review.objects.visible_to(first)) == [mine]
    reviews.save_review(Actor(first), mine, {"scores": {"team": 3, "market": 3}})
    reviews.set_review_status(Actor(first), mine, "submitted")
    assert list(Review.objects.visible_to(first)) == [mine]  # the call does not share reviews

    reviews.set_review_setup(Actor(panel.manager), panel.call, None, {"reviews_shared": True})
    assert set(Review.objects.visible_to(first)) == {mine, theirs}
    assert set(Review.objects.visible_to(panel.manager)) == {mine, theirs}
    assert not Review.objects.visible_to(panel.outsider).exists()
    assert not Review.objects.visible_to(panel.startups and panel.outsider).exists()


def test_sharing_in_one_phase_shows_nothing_of_another():
    panel = make_panel(startups=2, reviewers=2)
    first, second = panel.reviewers
    one = ReviewPhase.objects.create(call=panel.call, position=1, name_en="One", reviews_shared=True)
    two = ReviewPhase.objects.create(call=panel.call, position=2, name_en="Two", reviews_shared=True)
    a, b = panel.applications
    made = {}
    for phase in (one, two):
        for application in (a, b):
            created = reviews.assign_reviewers(
                Actor(panel.manager), panel.call, phase, [(application, first), (application, second)]
            )
            for review in created:
                made[(phase.position, application.pk, review.reviewer_id)] = review
    for key in [(1, a.pk, first.pk), (2, b.pk, first.pk), (2, a.pk, second.pk), (1, b.pk, second.pk)]:
        review = made[key]
        reviews.save_review(Actor(review.reviewer), review, {"scores": {"team": 2, "market": 2}})
        reviews.set_review_status(Actor(review.reviewer), review, "submitted")
    seen = {
        (review.phase.position, review.application_id, review.reviewer_id)
        for review in Review.objects.visible_to(first)
    }
    # First submitted (phase 1, a) and (phase 2, b); second submitted (2, a) and (1, b): nothing of
    # theirs is in a pair first has finished.
    assert {key for key in seen if key[2] == second.pk} == set()


def test_a_phase_review_is_submitted_only_while_the_phase_is_open():
    from datetime import UTC, datetime

    panel = make_panel(startups=1, reviewers=1)
    phase = ReviewPhase.objects.create(
        call=panel.call,
        position=1,
        name_en="Panel",
        opens_at=datetime(2030, 4, 1, tzinfo=UTC),
        closes_at=datetime(2030, 4, 15, tzinfo=UTC),
    )
    (review,) = reviews.assign_reviewers(
        Actor(panel.manager), panel.call, phase, [(panel.applications[0], panel.reviewers[0])]
    )
    reviewer = Actor(panel.reviewers[0])
    reviews.save_review(reviewer, review, {"scores": {"team": 1, "market": 2}})
    for moment in (datetime(2030, 3, 31, 23, 59, 59, tzinfo=UTC), datetime(2030, 4, 15, tzinfo=UTC)):
        with pytest.raises(ValidationError) as raised:
            reviews.set_review_status(reviewer, review, "submitted", now=moment)
        assert "status" in raised.value.message_dict
    reviews.set_review_status(
        reviewer, review, "submitted", now=datetime(2030, 4, 14, 23, 59, 59, tzinfo=UTC)
    )
    review.refresh_from_db()
    assert review.status == "submitted"
