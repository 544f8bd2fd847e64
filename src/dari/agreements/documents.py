"""The agreement as a printed document, and the chart of its action items by status, which the
agreement page and the PDF show alike. Called by the PDF view and, later, by background jobs, so it
takes a user and ids, not a request."""

from collections import Counter

from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from dari.core.charts import bar_chart
from dari.core.documents import render_pdf
from dari.core.time import in_zone, viewer_zones

from .models import ActionItem, Agreement

# Colours that say the state at a glance (and are told apart in greyscale): open is blue, in
# progress orange, done green, dropped grey.
STATUS_COLOURS = {
    ActionItem.Status.OPEN: "#0072B2",
    ActionItem.Status.IN_PROGRESS: "#E69F00",
    ActionItem.Status.DONE: "#009E73",
    ActionItem.Status.DROPPED: "#999999",
}


def action_items_by_status_chart(action_items, *, width: int = 560) -> SafeString:
    """A bar chart (inline SVG) of how many of ``action_items`` are in each status, every status
    listed, in the active language; ``width`` in CSS pixels (the page uses ``PAGE_CHART_WIDTH``)."""
    counts = Counter(item.status for item in action_items)
    statuses = ActionItem.Status.choices
    svg = bar_chart(
        [str(label) for _value, label in statuses],
        [counts.get(value, 0) for value, _label in statuses],
        title=_("Action items by status"),
        colours=[STATUS_COLOURS[value] for value, _label in statuses],
        width=width,
    )
    # The chart escapes every label it writes.
    return mark_safe(svg)


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
        chart = action_items_by_status_chart(agreement.action_items.all())
    return render_pdf(
        "agreements/agreement_print.html",
        {"agreement": agreement, "user": user, "status_chart": chart},
        language=language,
        report_date=in_zone(now, zone).date(),
        data_as_of=now,
        on_step=on_step,
    )
