"""The program report (issue 16 item 6): PDF and XLSX, Korean and English, made as a job from the
program page or the API and by ``dari program_report``, with the dashboard's numbers, the targets,
the sources and the rate days; what a persona may not see is in neither file."""

import io
import json
import re
import subprocess
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from dari.accounts.audit import Actor
from dari.accounts.models import Role
from dari.accounts.services import grant_membership
from dari.core.money import format_money
from dari.jobs.models import Job
from dari.programs.models import Program
from dari.registry.models import Organization
from dari.reports.models import Target
from dari.reports.program_report import Period, program_report, render_report
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROGRAM = "digital-healthcare-global-support"
PERSONAS = ("anonymous", "outsider", "member", "manager", "staff")


@pytest.fixture
def people(scenario):
    program = Program.objects.get(key=PROGRAM)
    member = UserFactory(username="thyroscope-member")
    grant_membership(
        Actor.system(), member, Role.ORGANIZATION_MEMBER, Organization.objects.get(key="thyroscope")
    )
    manager = UserFactory(username="manager")
    grant_membership(Actor.system(), manager, Role.PROGRAM_MANAGER, program)
    Target.objects.create(
        program=program, year=2024, kpi="investment_in_review", measure="usd", value=20_000_000
    )
    return {
        "program": program,
        "anonymous": None,
        "outsider": UserFactory(username="outsider"),
        "member": member,
        "manager": manager,
        "staff": UserFactory(username="staff", is_staff=True),
    }


def pdf_text(content: bytes, *, layout: bool = False) -> str:
    """The PDF's text: its words in reading order, or (``layout``) its lines as laid out, where a
    table's row reads across its cells."""
    assert content.startswith(b"%PDF-")
    arguments = ["pdftotext", *(["-layout"] if layout else []), "-enc", "UTF-8", "-", "-"]
    text = subprocess.run(arguments, input=content, capture_output=True, check=True).stdout.decode("utf-8")
    return text if layout else " ".join(text.split())


def sheet_rows(content: bytes, title: str) -> list[dict]:
    sheet = load_workbook(io.BytesIO(content))[title]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def report_files(user, language="en"):
    report = program_report(user, Program.objects.get(key=PROGRAM), Period(2024))
    return report, render_report(report, "pdf", language), render_report(report, "xlsx", language)


def test_periods_are_years_or_quarters():
    assert (Period.parse("2024"), Period.parse("2024-Q2"), Period.parse(" 2024q4 ")) == (
        Period(2024),
        Period(2024, 2),
        Period(2024, 4),
    )
    assert (Period(2024, 2).first_day.isoformat(), Period(2024, 2).last_day.isoformat()) == (
        "2024-04-01",
        "2024-06-30",
    )
    assert Period(2024, 4).last_day.isoformat() == "2024-12-31"
    for bad in ("24", "2024-Q5", "2024-13", "soon", "", "3000"):
        with pytest.raises(ValueError):
            Period.parse(bad)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_api_the_dashboard_the_workbook_and_the_pdf_give_the_same_figures(client, people, persona):
    user = people[persona]
    if user is not None:
        client.force_login(user)
    client.cookies["django_language"] = "en"
    api = client.get(f"/api/v1/kpis?program={PROGRAM}&year=2024").json()["items"]
    dashboard = client.get("/").context["kpis"]
    _report, pdf, xlsx = report_files(user)
    text, lines = pdf_text(pdf), pdf_text(pdf, layout=True)
    cells = {row["Figure"]: row for row in sheet_rows(xlsx, "Key figures")}

    # Every seed outcome is the program's and of 2024: the unfiltered dashboard shows the same.
    assert [(f.key, f.count, f.amounts, f.amounts_left_out, f.usd_total, f.krw_total) for f in dashboard] == [
        (
            item["key"],
            item["count"],
            {money["currency"]: Decimal(money["amount"]) for money in item["amounts"]},
            item["amounts_left_out"],
            Decimal(item["usd_total"]) if item["usd_total"] else None,
            Decimal(item["krw_total"]) if item["krw_total"] else None,
        )
        for item in api
    ]
    for item in api:
        row = cells[item["label"]]
        assert (
            row["Outcomes"],
            row["Confidential amounts left out"],
            row["Amounts waiting for their rate"],
        ) == (
            item["count"],
            item["amounts_left_out"],
            item["values_pending"],
        )
        assert (row["Total in USD"], row["Total in KRW"]) == (
            Decimal(item["usd_total"]) if item["usd_total"] else None,
            Decimal(item["krw_total"]) if item["krw_total"] else None,
        )
        assert (row["Rates of"].date().isoformat() if row["Rates of"] else None) == item["rates_from"]
        # The PDF's row: the label, then the count, then what it may show.
        assert re.search(rf"^\s*{re.escape(item['label'])}\s+{item['count']}\b", lines, re.M), item["label"]
        for money in item["amounts"]:
            shown = format_money(Decimal(money["amount"]), money["currency"], "en")
            assert shown in text and shown in row["Amount per currency"]
        if item["amounts_left_out"]:
            assert f"{item['amounts_left_out']} confidential amount" in text


@pytest.mark.parametrize("persona", PERSONAS)
def test_thyroscopes_amount_and_its_locked_krw_value_show_only_to_those_allowed(people, persona):
    allowed = persona in ("member", "manager", "staff")
    for language in ("en", "ko"):
        _report, pdf, xlsx = report_files(people[persona], language)
        text = pdf_text(pdf)
        outcomes = sheet_rows(xlsx, "Outcomes" if language == "en" else "성과")
        thyroscope = next(row for row in outcomes if row[list(row)[0]] == "thyroscope-us-vc-investment")
        values = list(thyroscope.values())
        if language == "en":
            assert ("USD 10,000,000" in text) is allowed
            assert ("KRW 13,386,666,670" in text) is allowed
            # The rate and its day, in the rates used.
            rates_row = r"^\s*USD\s+2024-01-18\s+1\.000000\s+1,338\.666667\s*$"
            assert bool(re.search(rates_row, pdf_text(pdf, layout=True), re.M)) is allowed
            assert (Decimal("10000000") in values) is allowed
            assert (Decimal("13386666670") in values) is allowed
            assert "US$10 million" not in text or allowed  # the summary that repeats the amount
        else:
            assert ("133억 8,666만 6,670 원" in text) is allowed
            assert ("1,000만 달러" in text) is False  # the summary is not in the report
        for value in values:
            assert not isinstance(value, str) or "10,000,000" not in value or allowed


def test_the_contract_reads_its_units_and_no_amount(people):
    _report, pdf, xlsx = report_files(None)
    text = pdf_text(pdf)
    contract = next(
        row
        for row in sheet_rows(xlsx, "Outcomes")
        if row["Key"] == "sb-solution-hangzhou-provisional-contract"
    )

    assert "200,000 units a year" in text
    assert (contract["Amount"], contract["Amount is"], contract["Quantity"]) == (
        None,
        "not reported",
        "200,000 units a year",
    )
    assert "not reported" in text


def test_the_report_names_its_sources_and_targets(people):
    report, pdf, xlsx = report_files(people["staff"])
    text = pdf_text(pdf)

    assert [source.key for source in report.sources] == ["report-2024-01-18-ulsan-san-diego-bio-mou"]
    assert "Sources" in text and "2024-01-18" in text
    targets = sheet_rows(xlsx, "Targets")
    assert [(row["Figure"], row["Target"], row["Reached"], row["Progress (%)"]) for row in targets] == [
        ("Investment under review", Decimal("20000000"), Decimal("10000000"), 50)
    ]
    assert re.search(
        r"^\s*2024\s+Investment under review\s+USD 20,000,000\s+USD 10,000,000\s+50%",
        pdf_text(pdf, layout=True),
        re.M,
    )


def test_the_public_report_leaves_the_hidden_amount_out_of_the_target_progress(people):
    _report, pdf, xlsx = report_files(None)

    targets = sheet_rows(xlsx, "Targets")
    assert (
        targets[0]["Reached"],
        targets[0]["Progress (%)"],
        targets[0]["Confidential amounts left out"],
    ) == (Decimal("0"), 0, 1)


def test_a_report_made_from_the_program_page_is_a_job_whose_file_only_its_maker_downloads(
    client, people, django_capture_on_commit_callbacks
):
    client.force_login(people["manager"])
    program = people["program"]

    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            f"/reports/programs/{program.pk}/report/", {"period": "2024", "format": "xlsx", "language": "ko"}
        )

    assert started.status_code == 302
    job = Job.objects.get(kind="reports.program_report")
    assert job.state == "succeeded", job.error
    assert job.result["name"] == f"{PROGRAM}-2024-ko.xlsx"
    download = client.get(job.result["url"])
    assert download.status_code == 200
    assert "주요 지표" in load_workbook(io.BytesIO(b"".join(download.streaming_content))).sheetnames
    client.force_login(people["outsider"])
    assert client.get(job.result["url"]).status_code == 404


def test_a_bad_report_request_is_refused(client, people):
    client.force_login(people["manager"])
    program = people["program"]

    page = client.post(
        f"/reports/programs/{program.pk}/report/", {"period": "someday", "format": "pdf", "language": "en"}
    )
    assert page.status_code == 400
    refused = client.post(
        "/api/v1/kpis/reports",
        json.dumps({"program": PROGRAM, "period": "2024-Q9", "format": "doc", "language": "fr"}),
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert {error["loc"][-1] for error in refused.json()["detail"]} == {"period", "format", "language"}
    assert not Job.objects.exists()


def test_the_api_starts_the_job(client, people, django_capture_on_commit_callbacks):
    client.force_login(people["staff"])

    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            "/api/v1/kpis/reports",
            json.dumps({"program": PROGRAM, "period": "2024-Q1", "format": "pdf", "language": "en"}),
            content_type="application/json",
        )

    assert started.status_code == 202, started.content
    job = client.get(f"/api/v1/jobs/{started.json()['id']}").json()
    assert job["state"] == "succeeded" and job["result"]["name"] == f"{PROGRAM}-2024-Q1-en.pdf"


def test_the_command_writes_the_same_report(people, tmp_path):
    out = tmp_path / "report.xlsx"

    call_command(
        "program_report",
        PROGRAM,
        "--period",
        "2024",
        "--format",
        "xlsx",
        "--lang",
        "en",
        "--out",
        str(out),
        "--as",
        "staff",
    )

    rows = sheet_rows(out.read_bytes(), "Outcomes")
    assert len(rows) == 6
    assert Decimal("13386666670") in [row["Value in KRW"] for row in rows]
    public = tmp_path / "public.pdf"
    call_command("program_report", PROGRAM, "--period", "2024", "--out", str(public), "--lang", "en")
    assert "KRW 13,386,666,670" not in pdf_text(public.read_bytes())
    with pytest.raises(CommandError):
        call_command("program_report", PROGRAM, "--period", "2024-Q7", "--out", str(out))
    with pytest.raises(CommandError):
        call_command("program_report", "no-such-program", "--period", "2024", "--out", str(out))
    with pytest.raises(CommandError):
        call_command("program_report", PROGRAM, "--period", "2024", "--out", str(out), "--as", "nobody")
