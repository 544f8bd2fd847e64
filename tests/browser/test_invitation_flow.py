import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from dari.accounts.models import Membership, Role
from dari.registry.models import Organization
from dari.scenario.loader import load_scenario

from ..factories import TEST_PASSWORD, OutcomeFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "a long and unusual passphrase 다리"


def sign_in(page, base_url, username, password):
    page.goto(base_url + "/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("form:has(#id_password) button[type=submit]").click()
    expect(page.locator(".site-tools")).to_contain_text(username)


def test_invitation_first_sign_in_and_profile_editing_in_korean_and_english(live_server, browser):
    load_scenario()
    UserFactory(username="coordinator", is_staff=True)
    thyroscope = Organization.objects.get(key="thyroscope")
    # Another startup's investment under negotiation: its amount is confidential to outsiders.
    OutcomeFactory(
        key="sb-solution-seed-round",
        startup=Organization.objects.get(key="sb-solution"),
        kind="investment",
        stage="term_sheet",
        title_en="Seed round",
        title_ko="시드 투자",
        # While the amount is confidential, visitors read the public title (the title could carry it).
        public_title_en="Seed round",
        public_title_ko="시드 투자",
        amount="2500000",
        currency="USD",
    )

    # A staff member invites a Thyroscope employee, in English.
    staff_context = browser.new_context(locale="en-US")
    staff_page = staff_context.new_page()
    sign_in(staff_page, live_server.url, "coordinator", TEST_PASSWORD)
    staff_page.goto(live_server.url + "/accounts/invitations/new/")
    staff_page.locator("#id_email").fill("newcomer@thyroscope.invalid")
    staff_page.locator("#id_role").select_option(Role.ORGANIZATION_MEMBER)
    staff_page.locator("#id_scope").select_option(f"registry.organization:{thyroscope.pk}")
    staff_page.locator("form:has(#id_email) button[type=submit]").click()
    expect(staff_page.locator("main")).to_contain_text("newcomer@thyroscope.invalid")
    staff_context.close()

    link = re.search(r"https?://[^/\s]+(/accounts/invitations/[^/\s]+/)", mail.outbox[-1].body)
    assert link, mail.outbox[-1].body

    # The newcomer opens the link with a Korean browser and creates an account.
    context = browser.new_context(locale="ko-KR", timezone_id="Asia/Seoul")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + link.group(1))
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.get_by_role("heading", level=1)).to_have_text("초대 수락")
    page.locator("#id_username").fill("newcomer")
    page.locator("#id_password1").fill(NEW_PASSWORD)
    page.locator("#id_password2").fill(NEW_PASSWORD)
    page.locator("#id_language").select_option("ko")
    page.locator("#id_time_zone").select_option("Asia/Seoul")
    page.locator("form:has(#id_password1) button[type=submit]").click()
    expect(page.locator(".site-tools")).to_contain_text("newcomer")

    # First edit, in Korean: the organization's Korean description.
    page.goto(live_server.url + f"/organizations/{thyroscope.pk}/edit/")
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    page.locator("#id_description_ko").fill("갑상선 질환 관리 앱을 만드는 울산의 창업기업.")
    page.locator("form:has(#id_description_ko) button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("변경 사항을 저장했습니다")
    expect(page.locator("main")).to_contain_text("갑상선 질환 관리 앱을 만드는 울산의 창업기업.")

    # Second edit, in English, after switching the language.
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto(live_server.url + f"/organizations/{thyroscope.pk}/edit/")
    page.locator("#id_description_en").fill("An Ulsan startup building a thyroid-care app.")
    page.locator("form:has(#id_description_en) button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("The changes were saved.")
    expect(page.locator("main")).to_contain_text("An Ulsan startup building a thyroid-care app.")

    # The newcomer sees the other startup's outcome but not its confidential amount, on the page
    # and through the API with the same session.
    page.goto(live_server.url + "/outcomes/?kind=investment")
    expect(page.locator("main")).to_contain_text("Seed round")
    expect(page.locator("main")).not_to_contain_text("USD 2,500,000")
    outcomes = page.request.get(live_server.url + "/api/v1/outcomes?kind=investment").json()["items"]
    by_key = {outcome["key"]: outcome for outcome in outcomes}
    assert by_key["sb-solution-seed-round"]["amount"] is None
    assert by_key["thyroscope-us-vc-investment"]["amount"] == "10000000.00"  # their own startup's
    context.close()

    thyroscope.refresh_from_db()
    assert thyroscope.description_ko == "갑상선 질환 관리 앱을 만드는 울산의 창업기업."
    assert thyroscope.description_en == "An Ulsan startup building a thyroid-care app."
    assert Membership.objects.filter(
        user__username="newcomer", role=Role.ORGANIZATION_MEMBER, scope_id=thyroscope.pk
    ).exists()
