from django.urls import path

from . import views

app_name = "programs"
urlpatterns = [
    path("", views.program_list, name="program-list"),
    path("<int:pk>/", views.program_detail, name="program-detail"),
]
