from django.urls import path

from . import views

app_name = "matching"
urlpatterns = [
    path("search/", views.search, name="search"),
    path("organizations/<int:pk>/suggestions/", views.suggestions, name="suggestions"),
    path("organizations/<int:pk>/suggestions/<int:candidate_pk>/mark/", views.mark, name="mark"),
    path("organizations/<int:pk>/matching-profile/", views.edit_profile, name="profile-edit"),
    path(
        "organizations/<int:pk>/suggestions/<int:candidate_pk>/meeting/",
        views.request_meeting,
        name="request-meeting",
    ),
    path("meeting-requests/", views.meeting_requests, name="meeting-requests"),
    path(
        "meeting-requests/<int:request_pk>/withdraw/",
        views.withdraw_meeting_request,
        name="withdraw-meeting-request",
    ),
    path(
        "meeting-requests/<int:request_pk>/answer/",
        views.answer_meeting_request,
        name="answer-meeting-request",
    ),
]
