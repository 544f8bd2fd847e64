from django.urls import path

from . import views

app_name = "files"
urlpatterns = [
    path("<int:pk>/", views.download, name="download"),
    path("signed/<str:token>/", views.signed_download, name="signed-download"),
    path("organizations/<int:pk>/upload/", views.organization_upload, name="organization-upload"),
]
