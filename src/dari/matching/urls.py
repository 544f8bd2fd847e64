from django.urls import path

from . import views

app_name = "matching"
urlpatterns = [
    path("search/", views.search, name="search"),
    path("organizations/<int:pk>/suggestions/", views.suggestions, name="suggestions"),
    path("organizations/<int:pk>/suggestions/<int:candidate_pk>/mark/", views.mark, name="mark"),
    path("organizations/<int:pk>/matching-profile/", views.edit_profile, name="profile-edit"),
]
