"""The programs API: /api/v1/programs, with operators, supporters and participants."""

import pytest

from dari.programs.models import Program
from tests.factories import OrganizationFactory, ParticipantFactory, ProgramFactory, ProgramRoleFactory
from tests.helpers import count_queries, get_json, listed_keys

PROGRAM = "digital-healthcare-global-support"


@pytest.mark.django_db
def test_program_list_has_the_program_run_by_unist_and_ucsd_supported_by_ulsan_city(scenario, client):
    program_id = Program.objects.get(key=PROGRAM).pk

    page = get_json(client, "/api/v1/programs")
    body = get_json(client, f"/api/v1/programs/{program_id}")

    assert page["count"] == 1
    (program,) = page["items"]
    assert program["key"] == PROGRAM
    assert (program["name_ko"], program["name_en"], program["name_en_origin"]) == (
        "디지털 헬스케어 글로벌 지원 사업",
        "Digital Healthcare Global Support Program",
        "translation",
    )
    assert program["start_year"] == 2023
    assert sorted((role["role"], role["organization"]["key"]) for role in program["roles"]) == [
        ("operator", "ucsd"),
        ("operator", "unist"),
        ("supporter", "ulsan-city"),
    ]
    assert sorted(
        (participant["organization"]["key"], participant["status"], participant["since"])
        for participant in program["participants"]
    ) == [
        ("dna-corporation", "active", None),
        ("sb-solution", "active", None),
        ("thyroscope", "active", None),
    ]
    # The detail names the managers to those who may change the program; the public reads null.
    assert body == {**program, "managers": None}
    assert (body["id"], body["web_url"]) == (program_id, f"http://testserver/programs/{program_id}/")
    assert listed_keys(client, "/api/v1/programs?q=헬스케어") == [PROGRAM]
    assert listed_keys(client, "/api/v1/programs?q=Global Support") == [PROGRAM]
    assert listed_keys(client, "/api/v1/programs?q=pilot") == []


@pytest.mark.django_db
def test_program_list_pages_with_limit_and_offset(client):
    ProgramFactory.create_batch(4)
    all_keys = listed_keys(client, "/api/v1/programs")

    page = get_json(client, "/api/v1/programs?limit=2&offset=2")

    assert page["count"] == 4
    assert [item["key"] for item in page["items"]] == all_keys[2:4]


@pytest.mark.django_db
def test_unknown_program_is_404(client):
    assert client.get("/api/v1/programs/999999").status_code == 404


@pytest.mark.django_db
def test_program_list_runs_the_same_queries_for_3_or_30_programs(client):
    def program_with_everything():
        program = ProgramFactory()
        ProgramRoleFactory.create_batch(2, program=program)
        ParticipantFactory.create_batch(2, program=program)

    for _ in range(3):
        program_with_everything()
    queries_for_3 = count_queries(client, "/api/v1/programs")
    for _ in range(27):
        program_with_everything()

    assert count_queries(client, "/api/v1/programs") == queries_for_3 == 4


# --- visibility --------------------------------------------------------------------------------------

VISIBILITY = [("anonymous", False), ("member", False), ("staff", True), ("superuser", True)]


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "sees_private"), VISIBILITY)
def test_private_program_is_listed_and_shown_to_staff_only(client_as, persona, sees_private):
    ProgramFactory(key="public-program")
    private = ProgramFactory(key="private-program", is_public=False)
    client = client_as(persona)

    listed = sorted(listed_keys(client, "/api/v1/programs"))
    detail = client.get(f"/api/v1/programs/{private.pk}")

    if sees_private:
        assert listed == ["private-program", "public-program"]
        assert detail.status_code == 200
    else:
        assert listed == ["public-program"]
        assert detail.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "sees_private"), VISIBILITY)
def test_participant_with_a_private_profile_is_shown_to_staff_only(client_as, persona, sees_private):
    program = ProgramFactory()
    ParticipantFactory(program=program, organization=OrganizationFactory(key="public-startup"))
    private = OrganizationFactory(key="private-startup", is_public=False)
    ParticipantFactory(program=program, organization=private)

    body = get_json(client_as(persona), f"/api/v1/programs/{program.pk}")

    participants = sorted(participant["organization"]["key"] for participant in body["participants"])
    assert participants == (["private-startup", "public-startup"] if sees_private else ["public-startup"])
