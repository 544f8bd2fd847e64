from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from dari.core.pagination import paginate
from dari.core.panels import organization_panels

from .forms import OrganizationFilterForm
from .models import Affiliation, Cluster, ClusterStatistic, Organization, Person, Relationship


def organization_list(request):
    form = OrganizationFilterForm(request.GET or None)
    organizations = form.filter(Organization.objects.visible_to(request.user).for_listing())
    page = paginate(request, organizations)
    return render(request, "registry/organization_list.html", {"form": form, "page": page})


def organization_detail(request, pk: int):
    """An organization's profile; agreements, programs and outcomes add their panels (see core.panels)."""
    user = request.user
    visible_organizations = Organization.objects.visible_to(user)
    organization = get_object_or_404(
        visible_organizations.select_related("cluster", "source", "description_source").prefetch_related(
            "sectors", "facts__source"
        ),
        pk=pk,
    )
    context = {
        "organization": organization,
        "affiliations": Affiliation.objects.filter(
            organization=organization, person__in=Person.objects.visible_to(user)
        ).select_related("person"),
        "relationships_out": Relationship.objects.filter(
            subject=organization, object__in=visible_organizations
        ).select_related("object"),
        "relationships_in": Relationship.objects.filter(
            object=organization, subject__in=visible_organizations
        ).select_related("subject"),
        "panels": organization_panels.panels_for(request, organization),
    }
    return render(request, "registry/organization_detail.html", context)


def person_detail(request, pk: int):
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=pk)
    affiliations = Affiliation.objects.filter(
        person=person, organization__in=Organization.objects.visible_to(request.user)
    ).select_related("organization")
    return render(request, "registry/person_detail.html", {"person": person, "affiliations": affiliations})


def cluster_detail(request, pk: int):
    cluster = get_object_or_404(
        Cluster.objects.select_related("source").prefetch_related(
            Prefetch("statistics", queryset=ClusterStatistic.objects.select_related("source"))
        ),
        pk=pk,
    )
    organizations = Organization.objects.visible_to(request.user).for_listing().filter(cluster=cluster)
    return render(
        request,
        "registry/cluster_detail.html",
        {"cluster": cluster, "page": paginate(request, organizations)},
    )
