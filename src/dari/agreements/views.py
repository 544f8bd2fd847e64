from django.shortcuts import get_object_or_404, render

from dari.core.pagination import paginate

from .models import Agreement


def agreement_list(request):
    query = request.GET.get("q", "")[:200]
    agreements = (
        Agreement.objects.visible_to(request.user)
        .select_related("place_organization")
        .prefetch_related("parties__organization")
    )
    if query:
        agreements = agreements.search(query)
    return render(
        request, "agreements/agreement_list.html", {"page": paginate(request, agreements), "q": query}
    )


def agreement_detail(request, pk: int):
    agreement = get_object_or_404(
        Agreement.objects.visible_to(request.user).with_details(request.user), pk=pk
    )
    return render(request, "agreements/agreement_detail.html", {"agreement": agreement})
