from django.urls import path

from . import views

# The addresses meeting requests had in matching: bookmarks and e-mailed links keep working.
app_name = "partnering"
urlpatterns = [
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
