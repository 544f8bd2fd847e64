from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("", views.organization_list, name="organization-list"),
    path("new/", views.organization_create, name="organization-create"),
    path("<int:pk>/", views.organization_detail, name="organization-detail"),
    path("<int:pk>/edit/", views.organization_edit, name="organization-edit"),
    path("<int:pk>/merge/", views.organization_merge, name="organization-merge"),
    path("<int:pk>/affiliations/new/", views.affiliation_add, name="affiliation-add"),
    path("<int:pk>/relationships/new/", views.relationship_add, name="relationship-add"),
    path("affiliations/awaiting/", views.affiliations_awaiting, name="affiliations-awaiting"),
    path("affiliations/<int:pk>/confirm/", views.affiliation_confirm, name="affiliation-confirm"),
    path("affiliations/<int:pk>/edit/", views.affiliation_edit, name="affiliation-edit"),
    path("affiliations/<int:pk>/remove/", views.affiliation_remove, name="affiliation-remove"),
    path("relationships/<int:pk>/remove/", views.relationship_remove, name="relationship-remove"),
    path("people/new/", views.person_create, name="person-create"),
    path("people/<int:pk>/", views.person_detail, name="person-detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("people/<int:pk>/listing-consent/", views.listing_consent_give, name="listing-consent-give"),
    path(
        "people/<int:pk>/listing-consent/withdraw/",
        views.listing_consent_withdraw,
        name="listing-consent-withdraw",
    ),
    path("clusters/<int:pk>/", views.cluster_detail, name="cluster-detail"),
    path("check/", views.start_registry_check, name="registry-check"),
]
