from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dari.accounts.access import access_for
from dari.accounts.audit import Actor
from dari.accounts.history import history_for
from dari.core.forms import add_service_errors, edit_status, posted, saved_or_errors
from dari.core.merging import count_references
from dari.core.pagination import ReadPages, paginate
from dari.core.panels import organization_panels

from . import services
from .forms import (
    AffiliationForm,
    MergeForm,
    OrganizationFilterForm,
    OrganizationForm,
    PersonForm,
    RelationshipForm,
)
from .jobs import start_registry_check as start_registry_check_job
from .models import Affiliation, Cluster, ClusterStatistic, Organization, Person, Relationship
from .permissions import (
    can_change_affiliation,
    can_change_organization,
    can_change_person,
    can_change_relationship,
    can_confirm_affiliation,
    can_create_organization,
    can_create_person,
    can_decide_listing,
    can_merge_organizations,
    can_remove_affiliation,
)
from .queries import OrganizationQuerySet


def organization_list(request):
    """The organizations the viewer sees, by name in the page's language: the reported partnership
    unless the viewer asks to include the illustrative ones, with the count of each that match."""
    form = OrganizationFilterForm(request.GET or None)
    visible = Organization.objects.visible_to(request.user)
    organizations = form.filter(visible).in_name_order()
    # A filter that joins (sectors) makes the queryset distinct, which Django counts over a DISTINCT
    # subquery: each organization is one row either way, and counted without a COUNT(DISTINCT) sort.
    counts = form.filter(visible, illustrative=True).aggregate(
        reported=Count("pk", filter=Q(is_illustrative=False)),
        illustrative=Count("pk", filter=Q(is_illustrative=True)),
    )
    listed = counts["reported"] + (counts["illustrative"] if form.includes_illustrative else 0)
    # Read as light rows, in two queries a page; the counts above give the paginator its count.
    page = paginate(request, ReadPages(organizations, OrganizationQuerySet.listed, count=listed))
    # None to confirm for a visitor: known without building the count (~0.25 ms a page).
    awaiting = Affiliation.objects.awaiting_confirmation_by(request.user)
    context = {
        "form": form,
        "page": page,
        "counts": counts,
        "includes_illustrative": form.includes_illustrative,
        "can_create": can_create_organization(request.user),
        "affiliations_awaiting": 0 if awaiting.query.is_empty() else awaiting.count(),
    }
    return render(request, "registry/organization_list.html", context)


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
    relationships_out = list(
        Relationship.objects.filter(subject=organization, object__in=visible_organizations).select_related(
            "object"
        )
    )
    relationships_in = list(
        Relationship.objects.filter(object=organization, subject__in=visible_organizations).select_related(
            "subject"
        )
    )
    for relationship in relationships_out + relationships_in:
        relationship.can_remove = can_change_relationship(user, relationship)
    context = {
        "organization": organization,
        "affiliations": Affiliation.objects.visible_to(user)
        .filter(organization=organization)
        .select_related("person"),
        "relationships_out": relationships_out,
        "relationships_in": relationships_in,
        "panels": organization_panels.panels_for(request, organization),
        "can_edit": can_change_organization(user, organization),
        "can_merge": can_merge_organizations(user),
        "can_add_person": can_create_person(user, organization),
        "history": history_for(user, organization),
    }
    return render(request, "registry/organization_detail.html", context)


def person_detail(request, pk: int):
    person = get_object_or_404(
        Person.objects.visible_to(request.user).prefetch_related("affiliations"), pk=pk
    )
    affiliations = list(
        Affiliation.objects.visible_to(request.user).filter(person=person).select_related("organization")
    )
    for affiliation in affiliations:
        affiliation.person = person
        affiliation.can_confirm = not affiliation.is_confirmed and can_confirm_affiliation(
            request.user, affiliation
        )
    context = {
        "person": person,
        "affiliations": affiliations,
        "can_edit": can_change_person(request.user, person),
        "history": history_for(request.user, person),
    }
    return render(request, "registry/person_detail.html", context)


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


# --- editing: each view checks permission, then hands the form's values to one service ------------


def render_form(
    request, form, *, title: str, submit: str, cancel_url: str, intro: str = "", status: int = 200
):
    context = {"form": form, "title": title, "submit": submit, "cancel_url": cancel_url, "intro": intro}
    return render(request, "registry/form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def organization_create(request):
    if not can_create_organization(request.user):
        raise PermissionDenied(_("You may not add organizations."))
    form = OrganizationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        organization = saved_or_errors(
            form, lambda values: services.create_organization(Actor.from_request(request), values)
        )
        if organization is not None:
            messages.success(request, _("The organization was added."))
            return redirect(organization)
    return render_form(
        request,
        form,
        title=_("Add an organization"),
        submit=_("Add"),
        cancel_url=reverse("registry:organization-list"),
        status=edit_status(form),
    )


def editable_organization(request, pk: int) -> Organization:
    """The organization, 404 when the viewer may not see it, 403 when they may not edit it."""
    organization = get_object_or_404(Organization.objects.visible_to(request.user), pk=pk)
    if not can_change_organization(request.user, organization):
        raise PermissionDenied(_("You may not edit this organization."))
    return organization


@login_required
@require_http_methods(["GET", "POST"])
def organization_edit(request, pk: int):
    organization = editable_organization(request, pk)
    form = OrganizationForm(posted(request), instance=organization)
    if request.method == "POST" and form.is_valid():
        saved = saved_or_errors(
            form,
            lambda values: services.update_organization(
                Actor.from_request(request), organization, values, version=form.seen_version
            ),
        )
        if saved is not None:
            messages.success(request, _("The changes were saved."))
            return redirect(saved)
    return render_form(
        request,
        form,
        title=_("Edit %(name)s") % {"name": Organization.objects.get(pk=pk)},
        submit=_("Save"),
        cancel_url=organization.get_absolute_url(),
        status=edit_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def organization_merge(request, pk: int):
    """Choose the duplicate, see what will move, confirm. Staff only."""
    keep = get_object_or_404(Organization.objects.visible_to(request.user), pk=pk)
    if not can_merge_organizations(request.user):
        raise PermissionDenied(_("You may not merge organizations."))
    candidates = Organization.objects.visible_to(request.user).exclude(pk=keep.pk)
    form = MergeForm(posted(request), organizations=candidates)
    if request.method == "POST" and form.is_valid():
        duplicate = form.cleaned_data["duplicate"]
        if form.cleaned_data["confirm"]:
            try:
                services.merge_organizations(Actor.from_request(request), keep, duplicate)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("%(duplicate)s was merged into this organization.") % {"duplicate": duplicate}
                )
                return redirect(keep)
        else:
            context = {
                "keep": keep,
                "duplicate": duplicate,
                "references": count_references(duplicate),
                "form": MergeForm(
                    initial={"duplicate": duplicate, "confirm": True}, organizations=candidates
                ),
            }
            return render(request, "registry/organization_merge_confirm.html", context)
    return render_form(
        request,
        form,
        title=_("Merge a duplicate into %(name)s") % {"name": keep},
        intro=_(
            "Everything recorded about the duplicate (agreements, programs, outcomes, people, "
            "relationships, memberships) moves to this organization, its empty fields are filled from the "
            "duplicate, and the duplicate is deleted. This cannot be undone."
        ),
        submit=_("Continue"),
        cancel_url=keep.get_absolute_url(),
        status=edit_status(form),
    )


def organizations_for_new_people(user):
    """Where the viewer may add people: everywhere visible for staff, their own organizations otherwise."""
    access = access_for(user)
    organizations = Organization.objects.visible_to(user)
    return organizations if access.sees_everything else organizations.filter(pk__in=access.organization_ids)


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request):
    user = request.user
    staff = access_for(user).sees_everything
    if not staff and not access_for(user).organization_ids:
        raise PermissionDenied(_("You may not add people."))
    form = PersonForm(
        posted(request),
        initial={"organization": request.GET.get("organization")},
        organizations=organizations_for_new_people(user),
        organization_required=not staff,
    )
    if request.method == "POST" and form.is_valid():

        def create(values):
            organization = values.pop("organization")
            affiliation = {"title_ko": values.pop("title_ko"), "title_en": values.pop("title_en")}
            return services.create_person(Actor.from_request(request), values, organization, **affiliation)

        person = saved_or_errors(form, create)
        if person is not None:
            messages.success(request, _("The person was added."))
            return redirect(person)
    return render_form(
        request,
        form,
        title=_("Add a person"),
        submit=_("Add"),
        cancel_url=reverse("registry:organization-list"),
        status=edit_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request, pk: int):
    person = get_object_or_404(
        Person.objects.visible_to(request.user).prefetch_related("affiliations"), pk=pk
    )
    if not can_change_person(request.user, person):
        raise PermissionDenied(_("You may not edit this person."))
    form = PersonForm(posted(request), instance=person)
    if request.method == "POST" and form.is_valid():
        saved = saved_or_errors(
            form,
            lambda values: services.update_person(
                Actor.from_request(request), person, values, version=form.seen_version
            ),
        )
        if saved is not None:
            messages.success(request, _("The changes were saved."))
            return redirect(saved)
    return render_form(
        request,
        form,
        title=_("Edit %(name)s") % {"name": Person.objects.get(pk=pk)},
        submit=_("Save"),
        cancel_url=person.get_absolute_url(),
        status=edit_status(form),
    )


def decide_listing(request, pk: int, decide, message: str):
    """Give or withdraw consent to the public listing: the person themselves (from their profile)
    or staff recording a consent received by mail."""
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=pk)
    if not can_decide_listing(request.user, person):
        raise PermissionDenied(_("You may not decide on this listing."))
    decide(Actor.from_request(request), person)
    messages.success(request, message)
    if person.user_id == request.user.pk:
        return redirect("accounts:profile")
    return redirect(person)


@login_required
@require_POST
def listing_consent_give(request, pk: int):
    return decide_listing(
        request, pk, services.record_listing_consent, _("Your consent is recorded: the profile is public.")
    )


@login_required
@require_POST
def listing_consent_withdraw(request, pk: int):
    return decide_listing(request, pk, services.withdraw_listing_consent, _("The consent is withdrawn."))


@login_required
@require_http_methods(["GET", "POST"])
def affiliation_add(request, pk: int):
    organization = get_object_or_404(Organization.objects.visible_to(request.user), pk=pk)
    if not can_change_affiliation(request.user, Affiliation(organization=organization)):
        raise PermissionDenied(_("You may not add people to this organization."))
    form = AffiliationForm(
        posted(request),
        instance=Affiliation(organization=organization),
        people=Person.objects.visible_to(request.user),
    )
    if request.method == "POST" and form.is_valid():

        def add(values):
            person = values.pop("person")
            return services.add_affiliation(Actor.from_request(request), person, organization, values)

        added = saved_or_errors(form, add)
        if added is not None:
            if added.is_confirmed:
                messages.success(request, _("The affiliation was added."))
            else:
                messages.success(
                    request,
                    _("The affiliation was added as a request, until the person or staff confirms it."),
                )
            return redirect(organization)
    return render_form(
        request,
        form,
        title=_("Add a person to %(name)s") % {"name": organization},
        submit=_("Add"),
        cancel_url=organization.get_absolute_url(),
        status=edit_status(form),
    )


def visible_affiliation(request, pk: int, allowed=can_change_affiliation) -> Affiliation:
    user = request.user
    affiliation = get_object_or_404(
        Affiliation.objects.visible_to(user).select_related("person", "organization"), pk=pk
    )
    if not allowed(user, affiliation):
        raise PermissionDenied(_("You may not edit this affiliation."))
    return affiliation


@login_required
def affiliations_awaiting(request):
    """Organizations' claims on the viewer's own person (every claim, for staff) to confirm or turn down."""
    affiliations = (
        Affiliation.objects.visible_to(request.user)
        .awaiting_confirmation_by(request.user)
        .select_related("person", "organization")
        .order_by("pk")
    )
    return render(request, "registry/affiliations_awaiting.html", {"page": paginate(request, affiliations)})


@login_required
@require_POST
def affiliation_confirm(request, pk: int):
    affiliation = visible_affiliation(request, pk, allowed=can_confirm_affiliation)
    services.confirm_affiliation(Actor.from_request(request), affiliation)
    messages.success(request, _("The affiliation is confirmed."))
    return back_from_affiliation(request, affiliation)


def back_from_affiliation(request, affiliation):
    """Back to the list of claims when acted on from there, else the organization's page for its
    members and the person's page for the person or staff turning a claim down."""
    if request.POST.get("from") == "awaiting":
        return redirect("registry:affiliations-awaiting")
    return redirect(affiliation_home(request.user, affiliation))


def affiliation_home(user, affiliation):
    """The page an affiliation is kept from: its organization's for the organization's members, the
    person's for the person or staff."""
    return affiliation.organization if can_change_affiliation(user, affiliation) else affiliation.person


@login_required
@require_http_methods(["GET", "POST"])
def affiliation_edit(request, pk: int):
    affiliation = visible_affiliation(request, pk)
    organization = affiliation.organization
    form = AffiliationForm(posted(request), instance=affiliation)
    if request.method == "POST" and form.is_valid():
        saved = saved_or_errors(
            form,
            lambda values: services.update_affiliation(Actor.from_request(request), affiliation, values),
        )
        if saved is not None:
            messages.success(request, _("The changes were saved."))
            return redirect(organization)
    return render_form(
        request,
        form,
        title=_("Edit the affiliation of %(person)s") % {"person": affiliation.person},
        submit=_("Save"),
        cancel_url=organization.get_absolute_url(),
        status=edit_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def affiliation_remove(request, pk: int):
    affiliation = visible_affiliation(request, pk, allowed=can_remove_affiliation)
    if request.method == "POST":
        services.remove_affiliation(Actor.from_request(request), affiliation)
        messages.success(request, _("The affiliation was removed."))
        return back_from_affiliation(request, affiliation)
    return render(
        request,
        "registry/confirm_remove.html",
        {
            "title": _("Remove this affiliation?"),
            "what": affiliation,
            "cancel_url": affiliation_home(request.user, affiliation).get_absolute_url(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def relationship_add(request, pk: int):
    organization = get_object_or_404(Organization.objects.visible_to(request.user), pk=pk)
    if not can_change_organization(request.user, organization):
        raise PermissionDenied(_("You may not record relationships of this organization."))
    form = RelationshipForm(
        posted(request), organizations=Organization.objects.visible_to(request.user).exclude(pk=pk)
    )
    if request.method == "POST" and form.is_valid():

        def add(values):
            other = values.pop("other")
            outgoing = values.pop("direction") == RelationshipForm.OUTGOING
            subject, object_ = (organization, other) if outgoing else (other, organization)
            return services.add_relationship(
                Actor.from_request(request), subject, values.pop("kind"), object_, values
            )

        if saved_or_errors(form, add) is not None:
            messages.success(request, _("The relationship was added."))
            return redirect(organization)
    return render_form(
        request,
        form,
        title=_("Add a relationship of %(name)s") % {"name": organization},
        submit=_("Add"),
        cancel_url=organization.get_absolute_url(),
        status=edit_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def relationship_remove(request, pk: int):
    visible = Organization.objects.visible_to(request.user)
    relationship = get_object_or_404(
        Relationship.objects.filter(subject__in=visible, object__in=visible).select_related(
            "subject", "object"
        ),
        pk=pk,
    )
    if not can_change_relationship(request.user, relationship):
        raise PermissionDenied(_("You may not edit this relationship."))
    back = request.POST.get("next") or request.GET.get("next")
    back_to = relationship.object if back == "object" else relationship.subject
    if request.method == "POST":
        services.remove_relationship(Actor.from_request(request), relationship)
        messages.success(request, _("The relationship was removed."))
        return redirect(back_to)
    return render(
        request,
        "registry/confirm_remove.html",
        {
            "title": _("Remove this relationship?"),
            "what": relationship,
            "cancel_url": back_to.get_absolute_url(),
        },
    )


@login_required
@require_POST
def start_registry_check(request):
    """Start the demonstration job (``registry.jobs``), offered on /jobs/."""
    job = start_registry_check_job(Actor.from_request(request))
    messages.success(request, _("Job started."))
    return redirect(job)
