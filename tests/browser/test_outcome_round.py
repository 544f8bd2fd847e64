"""Issue 16's "done when", in Chromium, in Korean and in English: a program manager records an
investment round with two investors, moves it from in review to closed with a term sheet as
evidence, and sees the dashboard, the program page and both report formats change."""

import io
import re
import subprocess

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from dari.accounts.audit import Actor
from dari.accounts.models import Role
from dari.accounts.services import grant_membership
from dari.outcomes.models import Outcome
from dari.programs.models import Program
from dari.registry.models import Organization, Relationship
from dari.reports.models import Target
from dari.scenario.loader import load_scenario

from ..factories import OrganizationFactory, UserFactory
from .pages import SIZES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROGRAM = "digital-healthcare-global-support"
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
WORDS = {
    "en": {"closed": "Investment closed", "targets": "Targets and progress", "reached": "USD 3,000,000"},
    "ko": {"closed": "성사된 투자", "targets": "목표와 진척", "reached": "USD 3,000,000"},
}


def pdf_words(content: bytes) -> str:
    assert content.startswith(b"%PDF-")
    text = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    )
    return text.stdout.decode("utf-8")


def make_report(page, base: str, program: Program, fmt: str, language: str) -> bytes:
    """Make the program's report from its page, follow the job to its end and download the file."""
    page.goto(f"{base}/programs/{program.pk}/")
    form = page.locator("#report form")
    form.locator("[name=period]").fill("2024")
    form.locator("[name=format]").select_option(fmt)
    form.locator("[name=language]").select_option(language)
    form.locator("button[type=submit]").click()
    expect(page.locator(".job-state-succeeded")).to_be_visible(timeout=60_000)
    link = page.locator(".job-result a").first.get_attribute("href")
    response = page.request.get(base + link)
    assert response.ok, response.status
    return response.body()


def closed_row(content: bytes) -> tuple:
    """The workbook's investment closed (the key figures' second row): outcomes counted, total in USD."""
    rows = list(load_workbook(io.BytesIO(content)).worksheets[1].iter_rows(values_only=True))
    return rows[2][1], rows[2][4]


@pytest.mark.parametrize("language", ["en", "ko"])
def test_a_manager_records_a_round_closes_it_with_evidence_and_the_figures_follow(
    live_server, signed_in_context, tmp_path, language
):
    load_scenario()
    program = Program.objects.get(key=PROGRAM)
    startup = Organization.objects.get(key="thyroscope")
    lead = OrganizationFactory(
        key="pacific-health-fund",
        kind="investor",
        is_public=True,
        name_en="Pacific Health Fund",
        name_ko="퍼시픽 헬스 펀드",
    )
    other = OrganizationFactory(
        key="han-river-ventures",
        kind="investor",
        is_public=True,
        name_en="Han River Ventures",
        name_ko="한강 벤처스",
    )
    manager = UserFactory(username="program-manager")
    grant_membership(Actor.system(), manager, Role.PROGRAM_MANAGER, program)
    Target.objects.create(program=program, year=2024, kpi="investment_closed", measure="usd", value=6_000_000)
    words = WORDS[language]
    page = signed_in_context(manager, language, SIZES["wide"]).new_page()
    base = live_server.url

    before_xlsx = make_report(page, base, program, "xlsx", language)
    assert closed_row(before_xlsx) == (0, None)

    # Record the round: in review, USD 3,000,000, a lead and a participant with their shares.
    page.goto(base + "/outcomes/new/")
    page.select_option("[name=kind]", "investment")
    page.select_option("[name=stage]", "in_review")
    page.select_option("[name=startup]", str(startup.pk))
    page.select_option("[name=program]", str(program.pk))
    page.fill("[name=title_en]", "Seed round led by Pacific Health Fund")
    page.fill("[name=title_ko]", "퍼시픽 헬스 펀드 주도 시드 라운드")
    page.fill("[name=amount]", "3000000")
    page.select_option("[name=currency]", "USD")
    page.fill("[name=reported_on]", "2024-06-10")
    page.select_option("[name=investors-0-organization]", str(lead.pk))
    page.select_option("[name=investors-0-role]", "lead")
    page.fill("[name=investors-0-share]", "2000000")
    page.select_option("[name=investors-1-organization]", str(other.pk))
    page.select_option("[name=investors-1-role]", "participant")
    page.fill("[name=investors-1-share]", "1000000")
    page.locator("main form.form button[type=submit]").first.click()
    expect(page.locator("h1")).to_contain_text(
        "Pacific Health Fund" if language == "en" else "퍼시픽 헬스 펀드"
    )
    outcome = Outcome.objects.get(startup=startup, kind="investment", stage="in_review", amount=3_000_000)
    assert list(outcome.investors.values_list("organization__key", "role")) == [
        ("pacific-health-fund", "lead"),
        ("han-river-ventures", "participant"),
    ]

    # Close it, with the term sheet as evidence.
    evidence = tmp_path / "term-sheet.pdf"
    evidence.write_bytes(PDF_BYTES)
    stage_form = page.locator("form[action$='/stage/']")
    stage_form.locator("[name=stage]").select_option("closed")
    stage_form.locator("[name=on]").fill("2024-09-02")
    stage_form.locator("[name=note_en]").fill("Closed after due diligence.")
    stage_form.locator("[name=evidence_file]").set_input_files(str(evidence))
    stage_form.locator("button[type=submit]").click()
    expect(page.locator(".stage-closed").first).to_be_visible()
    expect(page.get_by_role("link", name="term-sheet.pdf")).to_be_visible()
    outcome.refresh_from_db()
    assert outcome.stage == "closed" and outcome.rate_on is not None
    assert (
        Relationship.objects.filter(subject__in=[lead, other], kind="invests_in", object=startup).count() == 2
    )

    # The dashboard counts it once (not once per investor), with its locked KRW value.
    page.goto(base + "/")
    row = page.locator("table.table tr", has_text=words["closed"]).first
    expect(row.locator("td.number")).to_have_text("1")
    expect(row).to_contain_text("USD 3,000,000")
    expect(row).to_contain_text("KRW" if language == "en" else "원")

    # The program page lists it and shows the target half reached.
    page.goto(f"{base}/programs/{program.pk}/")
    targets = page.locator("#targets")
    expect(targets).to_contain_text(words["targets"])
    expect(targets.locator("progress")).to_have_attribute("value", "50")
    expect(
        page.get_by_role("link", name=re.compile("Pacific Health Fund|퍼시픽 헬스 펀드")).first
    ).to_be_visible()

    # Both report formats change the same way.
    after_xlsx = make_report(page, base, program, "xlsx", language)
    assert closed_row(after_xlsx) == (1, 3_000_000)
    text = pdf_words(make_report(page, base, program, "pdf", language))
    assert re.search(rf"{words['closed']}\s+1\s+USD 3,000,000", text), text[:2000]
    assert re.search(r"2024\s+\S.*\s+USD 6,000,000\s+USD 3,000,000\s+50%", text)
