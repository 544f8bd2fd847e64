"""The agreement as a printed document, and the chart of its action items by status, which the
agreement page draws and the PDF prints (one Vega-Lite spec). Called by the PDF view and, later, by
background jobs, so it takes a user and ids, not a request."""

from collections import Counter

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from dari.core.documents import render_pdf
from dari.core.time import in_zone, viewer_zones
from dari.core.vega import bar_spec, chart_svg

from .models import ActionItem, Agreement

# Colours that say the state at a glance (and are told apart in greyscale): open is blue, in
# progress orange, done green, dropped grey.
STATUS_COLOURS = {
    ActionItem.Status.OPEN: "#0072B2",
    ActionItem.Status.IN_PROGRESS: "#E69F00",
    ActionItem.Status.DONE: "#009E73",
    ActionItem.Status.DROPPED: "#999999",
}


def action_items_by_status_chart(agreement: Agreement, action_items) -> dict:
    """A bar chart (Vega-Lite spec) of how many of ``action_items`` are in each status, every status
    listed, in the active language; a bar links to its column of the agreement's board."""
    counts = Counter(item.status for item in action_items)
    board = reverse("agreements:agreement-board", args=[agreement.pk])
    statuses = ActionItem.Status.choices
    return bar_spec(
        [
            {"label": str(label), "value": counts.get(value, 0), "href": f"{board}#status-{value}"}
            for value, label in statuses
        ],
        title=_("Action items by status"),
        category_title=_("Status"),
        value_title=_("Action items"),
        colours=[STATUS_COLOURS[value] for value, _label in statuses],
    )


def agreement_pdf(user, agreement_id: int, language: str, *, now=None, on_step=None) -> bytes:
    """The agreement ``agreement_id`` as ``user`` may see it, as a PDF in ``language``: title,
    signing time in the partnership's zones, parties with heads and signatories, cooperation areas,
    action items with status, due time and the progress notes ``user`` may read, and the chart of
    action items by status.

    The report date is ``now``'s date in the user's zone (``viewer_zones``: else the partnership's
    first); the data is as of ``now``. ``on_step`` is ``render_pdf``'s: a job's progress after each
    rendering step. Raises ``Agreement.DoesNotExist`` when ``user`` may not see it.
    """
    agreement = Agreement.objects.visible_to(user).with_details(user).get(pk=agreement_id)
    now = now or timezone.now()
    zone = viewer_zones(user)[0]
    with translation.override(language):
        # vl-convert escapes every label it writes.
        chart = mark_safe(chart_svg(action_items_by_status_chart(agreement, agreement.action_items.all())))
    return render_pdf(
        "agreements/agreement_print.html",
        {"agreement": agreement, "user": user, "status_chart": chart},
        language=language,
        report_date=in_zone(now, zone).date(),
        data_as_of=now,
        on_step=on_step,
    )
