from django.urls import path

from . import decision_views, review_views, support_views, views

app_name = "programs"
urlpatterns = [
    path("", views.program_list, name="program-list"),
    path("new/", views.program_create, name="program-create"),
    path("<int:pk>/", views.program_detail, name="program-detail"),
    path("<int:pk>/edit/", views.program_edit, name="program-edit"),
    path("<int:pk>/calls/new/", views.call_create, name="call-create"),
    path("calls/<int:pk>/", views.call_detail, name="call-detail"),
    path("calls/<int:pk>/edit/", views.call_edit, name="call-edit"),
    path("calls/<int:pk>/status/", views.call_status, name="call-status"),
    path("calls/<int:pk>/apply/", views.application_create, name="application-create"),
    path("applications/", views.application_list, name="application-list"),
    path("applications/<int:pk>/", views.application_detail, name="application-detail"),
    path("applications/<int:pk>/status/", views.application_status, name="application-status"),
    path("calls/<int:pk>/rubric/", review_views.review_setup, name="review-setup"),
    path(
        "calls/<int:pk>/phases/<int:position>/rubric/", review_views.review_setup, name="review-setup-phase"
    ),
    path("calls/<int:pk>/assignments/", review_views.review_assignments, name="review-assignments"),
    path("calls/<int:pk>/assignments/auto/", review_views.review_assign_auto, name="review-assign-auto"),
    path("calls/<int:pk>/ranking/", review_views.review_ranking, name="review-ranking"),
    path("calls/<int:pk>/ranking.xlsx", review_views.review_ranking_export, name="review-ranking-export"),
    path("calls/<int:pk>/decisions/", decision_views.call_decisions, name="call-decisions"),
    path(
        "calls/<int:pk>/decisions/release/",
        decision_views.release_call_decisions,
        name="call-decisions-release",
    ),
    path("applications/<int:pk>/decision/", decision_views.application_decision, name="application-decision"),
    path(
        "applications/<int:pk>/decision/accept-waitlisted/",
        decision_views.accept_waitlisted,
        name="application-accept-waitlisted",
    ),
    path("participants/<int:pk>/", support_views.participant_detail, name="participant-detail"),
    path("participants/<int:pk>/milestones/new/", support_views.milestone_create, name="milestone-create"),
    path("milestones/<int:pk>/edit/", support_views.milestone_edit, name="milestone-edit"),
    path("milestones/<int:pk>/delete/", support_views.milestone_delete, name="milestone-delete"),
    path("milestones/<int:pk>/status/", support_views.milestone_status, name="milestone-status"),
    path("participants/<int:pk>/services/new/", support_views.service_create, name="service-create"),
    path("services/<int:pk>/edit/", support_views.service_edit, name="service-edit"),
    path("services/<int:pk>/delete/", support_views.service_delete, name="service-delete"),
    path("reviews/", review_views.review_list, name="review-list"),
    path("reviews/expertise/", review_views.review_expertise, name="review-expertise"),
    path("reviews/<int:pk>/", review_views.review_detail, name="review-detail"),
    path("reviews/<int:pk>/recuse/", review_views.review_recuse, name="review-recuse"),
    path("reviews/<int:pk>/remove/", review_views.review_remove, name="review-remove"),
    path("reviews/<int:pk>/feedback/", review_views.review_feedback, name="review-feedback"),
]
