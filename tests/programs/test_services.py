"""Program, call and application use cases: who may do what, the deadline to the second in the
call's zone, and every pair of states of both machines."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from dari.accounts.audit import Actor
from dari.accounts.models import AuditEntry
from dari.core.services import Conflict
from dari.programs import services
from dari.programs.models import Application, Call, Program
from dari.programs.services import APPLICATION_STATUS, CALL_STATUS

from ..factories import OrganizationFactory, ProgramFactory, UserFactory
from .calls import BEFORE_CLOSING, CLOSES, COMPLETE, FORM, make_call, people

pytestmark = pytest.mark.django_db


def actions() -> list[str]:
    return list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))


# --- programs ----------------------------------------------------------------------------------------


def test_staff_create_a_program_with_its_operators_and_managers():
    staff = UserFactory(is_staff=True)
    manager = UserFactory()
    unist = OrganizationFactory(kind="university")

    program = services.create_program(
        Actor(staff),
        {
            "name_ko": "바이오 글로벌 사업",
            "name_en": "Bio Global Program",
            "start_year": 2025,
            "roles": [{"organization": unist, "role": "operator"}],
            "managers": [manager],
        },
    )

    assert program.key == "bio-global-program"
    assert list(program.roles.values_list("organization", "role")) == [(unist.pk, "operator")]
    assert list(services.program_managers(program)) == [manager]
    assert actions() == [
        "programs.program.created",
        "programs.program.roles_changed",
        "accounts.membership.granted",
    ]


def test_only_staff_create_programs():
    program_manager = UserFactory()
    services.grant_membership(Actor.system(), program_manager, "program_manager", ProgramFactory())

    with pytest.raises(PermissionDenied):
        services.create_program(Actor(program_manager), {"name_en": "Mine"})
    assert Program.objects.count() == 1


def test_a_manager_edits_their_program_and_not_another():
    program, other = ProgramFactory(), ProgramFactory()
    _startup, users = people(program)

    services.update_program(Actor(users["manager"]), program, {"description_en": "Ulsan to San Diego"})
    with pytest.raises(PermissionDenied):
        services.update_program(Actor(users["manager"]), other, {"description_en": "Taken over"})
    with pytest.raises(PermissionDenied):
        services.update_program(Actor(users["member"]), program, {"description_en": "Taken over"})

    program.refresh_from_db()
    other.refresh_from_db()
    assert (program.description_en, other.description_en) == ("Ulsan to San Diego", "")


def test_an_edit_from_an_old_version_is_a_conflict():
    program = ProgramFactory()
    staff = UserFactory(is_staff=True)
    services.update_program(Actor(staff), program, {"name_en": "First"}, version=1)

    with pytest.raises(Conflict):
        services.update_program(
            Actor(staff), Program.objects.get(pk=program.pk), {"name_en": "Second"}, version=1
        )
    assert Program.objects.get(pk=program.pk).name_en == "First"


def test_managers_are_replaced_through_memberships():
    program = ProgramFactory()
    _startup, users = people(program)
    newcomer = UserFactory()

    services.update_program(Actor(users["staff"]), program, {"managers": [newcomer]})

    assert list(services.program_managers(program)) == [newcomer]


# --- calls -------------------------------------------------------------------------------------------


def test_a_call_is_entered_in_its_own_zone_and_stored_as_the_instant():
    program = ProgramFactory()
    _startup, users = people(program)
    from datetime import datetime

    call = services.create_call(
        Actor(users["manager"]),
        program,
        {
            "title_en": "2026 call",
            "opens_at": datetime(2026, 3, 1, 9, 0),
            "closes_at": datetime(2026, 3, 31, 17, 59, 59),
            "time_zone": "America/Los_Angeles",
            "form": FORM,
            "phases": [{"name_en": "Screening", "opens_at": datetime(2026, 4, 1, 9, 0)}],
        },
    )

    assert (call.round, call.status) == (1, "draft")
    assert call.closes_at.isoformat() == "2026-04-01T00:59:59+00:00"  # PDT is UTC-7
    assert [str(phase) for phase in call.phases.all()] == ["Screening"]
    assert actions()[-3:] == [
        "programs.call.created",
        "programs.call.form_changed",
        "programs.call.phases_changed",
    ]


def test_a_call_closes_after_it_opens():
    program = ProgramFactory()
    with pytest.raises(ValidationError) as refused:
        services.create_call(
            Actor.system(),
            program,
            {"title_en": "Backwards", "opens_at": CLOSES, "closes_at": CLOSES, "time_zone": "Asia/Seoul"},
        )
    assert list(refused.value.message_dict) == ["closes_at"]


def test_the_form_is_fixed_once_the_call_opened():
    call = make_call()
    with pytest.raises(ValidationError) as refused:
        services.update_call(Actor.system(), call, {"form": FORM[:1]})
    assert list(refused.value.message_dict) == ["form"]


@pytest.mark.parametrize(("old", "new"), CALL_STATUS.pairs())
def test_every_pair_of_call_states(old, new):
    call = make_call(status=old)
    allowed = CALL_STATUS.allows(old, new)

    if allowed:
        services.set_call_status(Actor.system(), call, new, now=BEFORE_CLOSING)
    else:
        with pytest.raises(ValidationError) as refused:
            services.set_call_status(Actor.system(), call, new, now=BEFORE_CLOSING)
        assert list(refused.value.message_dict) == ["status"]

    call.refresh_from_db()
    entries = list(
        AuditEntry.objects.filter(action="programs.call.status_changed").values_list("changes", flat=True)
    )
    if allowed:
        assert (call.status, entries) == (new, [{"status": [old, new]}])
    else:
        assert (call.status, entries) == (old, [])


def test_a_call_opens_only_with_a_form_and_a_future_deadline():
    empty = make_call(status="draft", form=[])
    with pytest.raises(ValidationError):
        services.set_call_status(Actor.system(), empty, "open", now=BEFORE_CLOSING)
    late = make_call(status="draft", round=2, program=empty.program)
    with pytest.raises(ValidationError):
        services.set_call_status(Actor.system(), late, "open", now=CLOSES)
    assert set(Call.objects.values_list("status", flat=True)) == {"draft"}


# --- applications ------------------------------------------------------------------------------------


def test_a_startup_member_saves_a_draft_then_submits_it():
    call = make_call()
    startup, users = people(call.program)
    actor = Actor(users["member"])

    application = services.start_application(
        actor, call, startup, {"answers": {"plan": "Later"}}, now=BEFORE_CLOSING
    )
    application = services.save_answers(actor, application, COMPLETE, version=application.version)
    services.set_application_status(actor, application, "submitted", now=BEFORE_CLOSING)

    application.refresh_from_db()
    assert (application.status, application.submitted_at) == ("submitted", BEFORE_CLOSING)
    assert application.answers == {"plan": "Later", **COMPLETE}


def test_the_deadline_holds_to_the_second_in_the_calls_zone():
    call = make_call()  # closes 2030-03-31 18:00:00 KST
    startup, users = people(call.program)
    late_startup = OrganizationFactory(kind="startup")
    services.grant_membership(Actor.system(), users["member"], "organization_member", late_startup)
    actor = Actor(users["member"])
    on_time = services.start_application(actor, call, startup, {"answers": COMPLETE}, now=BEFORE_CLOSING)
    late = services.start_application(actor, call, late_startup, {"answers": COMPLETE}, now=BEFORE_CLOSING)

    services.set_application_status(actor, on_time, "submitted", now=CLOSES - timedelta(seconds=1))
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        services.set_application_status(actor, late, "submitted", now=CLOSES + timedelta(seconds=1))

    assert refused.value.message_dict == {"call": ["This call does not take applications now."]}
    statuses = dict(Application.objects.values_list("startup", "status"))
    assert statuses == {startup.pk: "submitted", late_startup.pk: "draft"}


def test_nobody_applies_for_an_organization_they_do_not_belong_to():
    call = make_call()
    startup, users = people(call.program)
    for persona in ("outsider", "manager"):
        with pytest.raises(PermissionDenied):
            services.start_application(Actor(users[persona]), call, startup, now=BEFORE_CLOSING)
    assert not Application.objects.exists()


def test_a_submission_answers_every_required_question():
    call = make_call()
    startup, users = people(call.program)
    application = services.start_application(Actor(users["member"]), call, startup, now=BEFORE_CLOSING)

    with pytest.raises(ValidationError) as refused:
        services.set_application_status(Actor(users["member"]), application, "submitted", now=BEFORE_CLOSING)

    assert sorted(refused.value.message_dict) == ["answers.stage", "answers.summary"]
    assert Application.objects.get().status == "draft"


def test_the_revisions_loop():
    call = make_call()
    startup, users = people(call.program)
    member, manager = Actor(users["member"]), Actor(users["manager"])
    application = services.start_application(member, call, startup, {"answers": COMPLETE}, now=BEFORE_CLOSING)
    services.set_application_status(member, application, "submitted", now=BEFORE_CLOSING)

    with pytest.raises(PermissionDenied):
        services.set_application_status(member, application, "revisions_requested", note="Mine")
    with pytest.raises(ValidationError):
        services.set_application_status(manager, application, "revisions_requested")
    services.set_application_status(manager, application, "revisions_requested", note="Add your team")
    with pytest.raises(PermissionDenied):
        services.save_answers(manager, application, {"plan": "Changed by the manager"})
    services.save_answers(member, application, {"plan": "Team of five"})
    # After the deadline: answering requested revisions is still allowed.
    services.set_application_status(member, application, "submitted", now=CLOSES + timedelta(days=3))

    application.refresh_from_db()
    assert (application.status, application.revisions_note, application.answers["plan"]) == (
        "submitted",
        "Add your team",
        "Team of five",
    )
    with pytest.raises(PermissionDenied):
        services.save_answers(member, application, {"plan": "After submitting"})


@pytest.mark.parametrize(("old", "new"), APPLICATION_STATUS.pairs())
def test_every_pair_of_application_states(old, new):
    call = make_call()
    startup, users = people(call.program)
    application = Application.objects.create(call=call, startup=startup, status=old, answers=COMPLETE)
    actor = Actor(users["manager"] if new == "revisions_requested" else users["member"])
    allowed = APPLICATION_STATUS.allows(old, new)

    if allowed:
        services.set_application_status(actor, application, new, note="Please revise", now=BEFORE_CLOSING)
    else:
        with pytest.raises(ValidationError) as refused:
            services.set_application_status(actor, application, new, note="Please revise", now=BEFORE_CLOSING)
        assert list(refused.value.message_dict) == ["status"]

    application.refresh_from_db()
    entries = list(
        AuditEntry.objects.filter(action="programs.application.status_changed").values_list(
            "changes", flat=True
        )
    )
    if allowed:
        assert application.status == new
        assert [entry["status"] for entry in entries] == [[old, new]]
    else:
        assert (application.status, entries) == (old, [])


def test_a_file_answer_is_a_protected_file_of_the_application():
    call = make_call()
    startup, users = people(call.program)
    member = Actor(users["member"])
    application = services.start_application(member, call, startup, now=BEFORE_CLOSING)

    services.attach_file(member, application, "deck", SimpleUploadedFile("deck.pdf", b"%PDF-1.4\n%%EOF\n"))
    with pytest.raises(ValidationError) as refused:
        services.attach_file(
            member, application, "summary", SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n")
        )

    application.refresh_from_db()
    stored = application.answers["deck"]
    from dari.files.models import StoredFile

    visible = {
        persona: StoredFile.objects.visible_to(users[persona]).filter(pk=stored).exists()
        for persona in ("member", "manager", "outsider", "staff")
    }
    assert visible == {"member": True, "manager": True, "outsider": False, "staff": True}
    assert list(refused.value.message_dict) == ["answers.summary"]


def test_who_sees_which_application():
    call = make_call()
    startup, users = people(call.program)
    other_program_manager = UserFactory()
    services.grant_membership(Actor.system(), other_program_manager, "program_manager", ProgramFactory())
    application = Application.objects.create(call=call, startup=startup)

    seen = {
        persona: list(Application.objects.visible_to(user))
        for persona, user in {**users, "other manager": other_program_manager}.items()
    }
    assert seen == {
        "manager": [application],
        "member": [application],
        "outsider": [],
        "staff": [application],
        "other manager": [],
    }
