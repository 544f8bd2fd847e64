from collections.abc import Callable

from django.core.paginator import Paginator
from django.db.models import Count, Subquery, Value

# The name under which ``ReadPages`` asks a page's rows to carry the count of every row (``counted``).
TOTAL = "rows_in_all"

PAGE_SIZE = 20


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """The requested page of ``queryset``; out-of-range or malformed page numbers give the nearest page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


class Row(dict):
    """A row read with ``QuerySet.values()`` whose columns also read as attributes, so that templates
    and ``dari.core.bilingual.localized`` take it as they take a model instance, and an API's
    ``RowSchema`` validates it as it is."""

    def __getattr__(self, name: str):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def counted(queryset):
    """``queryset`` whose rows each carry the number of its rows as ``TOTAL``: an uncorrelated
    subquery, which the database runs once, so that a page and the count are one round trip."""
    rows = queryset.order_by().annotate(counted_as_one=Value(1)).values("counted_as_one")
    total = rows.annotate(total=Count("pk", distinct=queryset.query.distinct)).values("total")
    return queryset.annotate(**{TOTAL: Subquery(total)})


class ReadPages:
    """A queryset that paginators count and slice as usual (Django's ``Paginator`` for pages, the
    API's ``Pagination``), whose slice, the page, is read by ``read``: e.g. a list's light rows in
    two queries instead of model instances with their prefetches. ``count`` may be given when the
    view has counted already; if not, a page read before the count (as the API's ``Pagination``
    does) brings it along: ``read`` gets the page of ``counted(queryset)`` and keeps ``TOTAL`` in its
    rows (dicts). Only an empty page leaves the count to a query of its own."""

    def __init__(self, queryset, read: Callable, count: int | None = None):
        self.queryset = queryset
        self.read = read
        self.known_count = count
        self.ordered = queryset.ordered

    def all(self):
        return self

    def count(self) -> int:
        if self.known_count is None:
            self.known_count = self.queryset.count()
        return self.known_count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("ReadPages reads pages (slices) only")
        if self.known_count is not None:
            return self.read(self.queryset[index])
        rows = self.read(counted(self.queryset)[index])
        if rows:
            self.known_count = rows[0][TOTAL]
        return rows
