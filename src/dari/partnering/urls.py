from django.urls import path

from . import event_views, views

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
    path("calendar/", event_views.calendar_feed, name="calendar-feed"),
    path("calendar/<str:secret>.ics", event_views.calendar_ics, name="calendar-ics"),
    path("events/", event_views.event_list, name="event-list"),
    path("events/new/", event_views.event_create, name="event-create"),
    path("events/<int:pk>/", event_views.event_detail, name="event-detail"),
    path("events/<int:pk>/edit/", event_views.event_edit, name="event-edit"),
    path("events/<int:pk>/status/", event_views.event_status, name="event-status"),
    path("events/<int:pk>/days/", event_views.event_day_add, name="event-day-add"),
    path("events/<int:pk>/days/<int:day_pk>/remove/", event_views.event_day_remove, name="event-day-remove"),
    path("events/<int:pk>/items/", event_views.event_item_add, name="event-item-add"),
    path(
        "events/<int:pk>/items/<int:item_pk>/remove/", event_views.event_item_remove, name="event-item-remove"
    ),
    path("events/<int:pk>/locations/", event_views.location_add, name="location-add"),
    path(
        "events/<int:pk>/locations/<int:location_pk>/remove/",
        event_views.location_remove,
        name="location-remove",
    ),
    path("events/<int:pk>/delegates/", event_views.delegate_register, name="delegate-register"),
    path(
        "events/<int:pk>/delegates/<int:delegate_pk>/remove/",
        event_views.delegate_remove,
        name="delegate-remove",
    ),
    path("events/<int:pk>/availability/", event_views.availability, name="event-availability"),
    path("events/<int:pk>/requests/", event_views.event_requests, name="event-requests"),
    path("events/<int:pk>/agenda/", event_views.agenda, name="event-agenda"),
    path("events/<int:pk>/agenda/pdf/", event_views.agenda_pdf, name="event-agenda-pdf"),
    path("events/<int:pk>/rooms/", event_views.rooms, name="event-rooms"),
    path("events/<int:pk>/rooms/pdf/", event_views.rooms_pdf, name="event-rooms-pdf"),
    path("meetings/<int:pk>/report/", event_views.meeting_report, name="meeting-report"),
    path("events/<int:pk>/schedule/", event_views.event_schedule_generate, name="event-schedule-generate"),
]
