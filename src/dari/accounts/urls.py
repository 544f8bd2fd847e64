from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("invitations/new/", views.invitation_new, name="invitation-new"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation-revoke"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("register/", views.register, name="register"),
    path("registrations/", views.registration_list, name="registration-list"),
    path(
        "registrations/<int:pk>/approve/",
        views.registration_decide,
        {"decision": "approve"},
        name="registration-approve",
    ),
    path(
        "registrations/<int:pk>/reject/",
        views.registration_decide,
        {"decision": "reject"},
        name="registration-reject",
    ),
    path("profile/", views.profile, name="profile"),
    path("profile/data.json", views.personal_data_download, name="personal-data"),
    path("profile/delete/", views.account_delete, name="account-delete"),
    path("profile/tokens/", views.api_token_create, name="api-token-create"),
    path("profile/tokens/<int:pk>/revoke/", views.api_token_revoke, name="api-token-revoke"),
    path("verify-email/send/", views.verify_email_resend, name="verify-email-send"),
    path("verify-email/<str:token>/", views.verify_email, name="verify-email"),
]
