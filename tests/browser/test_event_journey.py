"""Issue 18's "done when", in Chromium, in Korean and in English: staff create an event and name its
organizer; the organizer sets it up (a day of slots on 2024-03-10, the day San Diego moves to daylight
saving time, and a table) and opens registration; a startup and an investor register their delegates,
mark their availability and agree to meet; the organizer generates the schedule and publishes it;
the startup's delegate reads the agenda at 390 px in both zones and subscribes to the calendar feed,
whose event holds the right instant."""

from datetime import UTC, datetime

import icalendar
import pytest
from playwright.sync_api import expect

from dari.accounts.audit import Actor
from dari.accounts.models import Role
from dari.accounts.services import grant_membership
from dari.partnering.models import Event, Meeting, MeetingRequest

from ..factories import OrganizationFactory, UserFactory
from .pages import SIZES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = {"en": "Bio partnering day", "ko": "바이오 파트너링 데이"}


def submit(page, form_selector: str) -> None:
    page.locator(form_selector).locator("button[type=submit]").first.click()
    page.wait_for_load_state()


def register_and_mark(page, base: str, event: Event, organization, username: str, slots: int) -> None:
    """Register ``username`` as ``organization``'s delegate from the event page, then tick the first
    ``slots`` slots of the availability grid and save it."""
    page.goto(f"{base}/events/{event.pk}/")
    form = page.locator("form[action$='/delegates/']")
    form.locator("[name=organization]").select_option(str(organization.pk))
    form.locator("[name=username]").fill(username)
    form.locator("button[type=submit]").click()
    expect(page.locator("td", has_text=username)).to_be_visible()
    page.goto(f"{base}/events/{event.pk}/availability/")
    boxes = page.locator("input[name=slot]")
    for index in range(slots):
        boxes.nth(index).check()
    page.locator("form.slot-grid button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("input[name=slot]:checked")).to_have_count(slots)


@pytest.mark.parametrize("language", ["en", "ko"])
def test_an_organizer_runs_an_event_and_a_delegate_reads_the_agenda_and_subscribes(
    live_server, signed_in_context, language
):
    startup = OrganizationFactory(
        kind="startup", is_public=True, name_en="Ulsan Thyroid AI", name_ko="울산 갑상선 AI"
    )
    fund = OrganizationFactory(
        kind="investor", is_public=True, name_en="Torrey Pines Fund", name_ko="토리 파인스 펀드"
    )
    staff = UserFactory(username="host", is_staff=True)
    organizer = UserFactory(username="organizer")
    founder = UserFactory(username="founder")
    partner = UserFactory(username="partner")
    grant_membership(Actor.system(), founder, Role.ORGANIZATION_MEMBER, startup)
    grant_membership(Actor.system(), partner, Role.ORGANIZATION_MEMBER, fund)
    base = live_server.url
    wide, phone = SIZES["wide"], SIZES["phone"]

    # Staff create the event (San Diego's zone, 30-minute meetings) and name its organizer.
    page = signed_in_context(staff, language, wide).new_page()
    page.goto(base + "/events/new/")
    page.fill("[name=name_en]", NAME["en"])
    page.fill("[name=name_ko]", NAME["ko"])
    page.select_option("[name=time_zone]", "America/Los_Angeles")
    page.fill("[name=slot_minutes]", "30")
    page.fill("[name=gap_minutes]", "0")
    page.fill("[name=organizers]", "organizer")
    page.locator("main form.form button[type=submit]").first.click()
    expect(page.locator("h1")).to_have_text(NAME[language])
    event = Event.objects.get(name_en=NAME["en"])
    assert event.status == Event.Status.DRAFT

    # The organizer adds a day of two slots and a table, then opens registration.
    page = signed_in_context(organizer, language, wide).new_page()
    page.goto(f"{base}/events/{event.pk}/")
    day = page.locator("form[action$='/days/']")
    day.locator("[name=date]").fill("2024-03-10")
    day.locator("[name=starts]").fill("09:00")
    day.locator("[name=ends]").fill("10:00")
    day.locator("button[type=submit]").click()
    expect(page.locator("td.date", has_text="2024-03-10")).to_be_visible()
    location = page.locator("form[action$='/locations/']")
    location.locator("[name=name_en]").fill("Table 1")
    location.locator("[name=name_ko]").fill("1번 테이블")
    location.locator("[name=capacity]").fill("1")
    location.locator("button[type=submit]").click()
    expect(page.locator("td", has_text="Table 1" if language == "en" else "1번 테이블").first).to_be_visible()
    page.locator("button[name=status][value=registration]").click()
    expect(page.locator(".stage-registration")).to_be_visible()
    assert event.slots.count() == 2

    # Each side registers its delegate and marks them free; the startup asks, the fund accepts.
    founder_page = signed_in_context(founder, language, wide).new_page()
    register_and_mark(founder_page, base, event, startup, "founder", slots=2)
    partner_page = signed_in_context(partner, language, wide).new_page()
    register_and_mark(partner_page, base, event, fund, "partner", slots=1)
    founder_page.goto(f"{base}/events/{event.pk}/requests/")
    founder_page.select_option("[name=candidate]", str(fund.pk))
    founder_page.locator("input[name=delegates]").first.check()
    founder_page.locator("main form.form button[type=submit]").click()
    founder_page.wait_for_load_state()
    request = MeetingRequest.objects.get(event=event, subject=startup, candidate=fund)
    partner_page.goto(f"{base}/events/{event.pk}/requests/")
    answer = partner_page.locator("form[action$='/answer/']").first
    answer.locator("input[name=delegates]").first.check()
    answer.locator("button[value=accept]").click()
    partner_page.wait_for_load_state()
    request.refresh_from_db()
    assert request.status == MeetingRequest.Status.ACCEPTED

    # The organizer moves the event to scheduling, generates the schedule and publishes it.
    page.goto(f"{base}/events/{event.pk}/")
    page.locator("button[name=status][value=scheduling]").click()
    page.locator("form[action$='/schedule/'] button[type=submit]").click()
    expect(page.locator(".job-state-succeeded")).to_be_visible(timeout=60_000)
    meeting = Meeting.objects.get(request=request)
    # The fund is free in the first slot only: 09:00 PDT (UTC-7 since 02:00 that day).
    assert meeting.slot.starts_at == datetime(2024, 3, 10, 16, 0, tzinfo=UTC)
    page.goto(f"{base}/events/{event.pk}/")
    page.locator("button[name=status][value=published]").click()
    expect(page.locator(".stage-published")).to_be_visible()

    # The startup's delegate reads the agenda on a phone, in the event's zone and Seoul's.
    agenda = signed_in_context(founder, language, phone).new_page()
    agenda.goto(f"{base}/events/{event.pk}/agenda/")
    item = agenda.locator(f"#meeting-{meeting.pk}").first
    expect(item).to_contain_text("09:00 PDT")
    expect(item).to_contain_text("01:00 KST")
    expect(item).to_contain_text(fund.name_en if language == "en" else fund.name_ko)
    assert agenda.evaluate("document.documentElement.scrollWidth") <= phone["width"]

    # ... and subscribes: the feed's event starts at that instant.
    agenda.goto(f"{base}/calendar/")
    agenda.locator("main button[type=submit]:not(.link-button)").click()
    url = agenda.locator("#calendar-url").input_value()
    feed = agenda.request.get(url)
    assert feed.ok and feed.headers["content-type"].startswith("text/calendar")
    (vevent,) = icalendar.Calendar.from_ical(feed.body()).walk("VEVENT")
    assert vevent.decoded("DTSTART").astimezone(UTC) == datetime(2024, 3, 10, 16, 0, tzinfo=UTC)
