from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("reports/programs/<int:pk>/targets/", views.target_set, name="report-target-set"),
    path("reports/programs/<int:pk>/report/", views.program_report_job, name="report-program-report"),
    path("reports/targets/<int:pk>/delete/", views.target_delete, name="report-target-delete"),
]
