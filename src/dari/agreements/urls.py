from django.urls import path

from . import views

app_name = "agreements"
urlpatterns = [
    path("", views.agreement_list, name="agreement-list"),
    path("new/", views.agreement_create, name="agreement-create"),
    path("<int:pk>/", views.agreement_detail, name="agreement-detail"),
    path("<int:pk>/pdf/", views.agreement_pdf, name="agreement-pdf"),
    path("<int:pk>/pdf/job/", views.agreement_pdf_job, name="agreement-pdf-job"),
    path("<int:pk>/edit/", views.agreement_edit, name="agreement-edit"),
    path("<int:pk>/parties/", views.agreement_parties, name="agreement-parties"),
    path("<int:pk>/parties/<int:party_pk>/remove/", views.party_remove, name="party-remove"),
    path("<int:pk>/areas/new/", views.area_create, name="area-create"),
    path("<int:pk>/areas/<int:area_pk>/edit/", views.area_edit, name="area-edit"),
    path("<int:pk>/action-items/new/", views.action_item_create, name="action-item-create"),
    path("<int:pk>/board/", views.agreement_board, name="agreement-board"),
    path("action-items/", views.action_item_list, name="action-item-list"),
    path("action-items/overdue/", views.overdue_list, name="action-item-overdue"),
    path("action-items/<int:pk>/", views.action_item_detail, name="action-item-detail"),
    path("action-items/<int:pk>/edit/", views.action_item_edit, name="action-item-edit"),
    path("action-items/<int:pk>/status/", views.action_item_status, name="action-item-status"),
    path("action-items/<int:pk>/notes/", views.action_item_note, name="action-item-note"),
]
