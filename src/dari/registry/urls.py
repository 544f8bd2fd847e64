from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("", views.organization_list, name="organization-list"),
    path("<int:pk>/", views.organization_detail, name="organization-detail"),
    path("people/<int:pk>/", views.person_detail, name="person-detail"),
    path("clusters/<int:pk>/", views.cluster_detail, name="cluster-detail"),
]
