from django.core.paginator import Paginator

PAGE_SIZE = 20


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """The requested page of ``queryset``; out-of-range or malformed page numbers give the nearest page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
