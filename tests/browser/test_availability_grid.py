"""The availability grid on a phone (390 px), in Korean and English: it fits the window, each slot's
row is a tap target of at least 44 px that ticks its checkbox, and it saves without script."""

import pytest

from dari.partnering.models import Delegate

from .pages import SIZES, axe_problems, layout_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["ko", "en"])
def test_a_delegate_ticks_slots_on_a_phone_without_script(
    browser, live_server, signed_in_context, world, language
):
    ids, users = world
    context = signed_in_context(users["member"], language, SIZES["phone"])
    page = context.new_page()
    page.route("**/*.js", lambda route: route.abort())  # no script: the grid is a plain form
    url = f"{live_server.url}/events/{ids['event']}/availability/"

    page.goto(url)
    rows = page.locator("label.slot-choice")
    assert rows.count() == 2  # 09:00-10:00 in Los Angeles, two half-hour slots
    assert layout_problems(page, url, wide=False) == []
    assert axe_problems(page, url) == []
    for index in range(rows.count()):
        box = rows.nth(index).bounding_box()
        assert box["height"] >= 44 and box["width"] >= 300
    text = rows.first.inner_text()
    assert "PST" in text and "KST" in text  # the event's zone and the delegate's, side by side

    rows.nth(1).click(position={"x": 300, "y": 20})  # a tap on the row's times, not the box
    page.locator("form.slot-grid button[type=submit]").click()
    page.wait_for_load_state()

    delegate = Delegate.objects.get(pk=ids["delegate_member"])
    assert list(delegate.available.values_list("pk", flat=True)) == [
        delegate.event.slots.order_by("starts_at").values_list("pk", flat=True)[1]
    ]
