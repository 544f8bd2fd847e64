from collections.abc import Callable

from django.core.paginator import Paginator

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


class ReadPages:
    """A queryset that paginators count and slice as usual (Django's ``Paginator`` for pages, the
    API's ``Pagination``), whose slice, the page, is read by ``read``: e.g. a list's light rows in
    two queries instead of model instances with their prefetches. ``count`` may be given when the
    view has counted already."""

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
        return self.read(self.queryset[index])
