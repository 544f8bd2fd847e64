from django.urls import path

from . import views

app_name = "outcomes"
urlpatterns = [
    path("", views.outcome_list, name="outcome-list"),
    path("new/", views.outcome_create, name="outcome-create"),
    path("<int:pk>/", views.outcome_detail, name="outcome-detail"),
    path("<int:pk>/edit/", views.outcome_edit, name="outcome-edit"),
    path("<int:pk>/stage/", views.outcome_stage, name="outcome-stage"),
]
