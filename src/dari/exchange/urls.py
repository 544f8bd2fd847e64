from django.urls import path

from . import views

app_name = "exchange"
urlpatterns = [
    path("imports/", views.import_page, name="import"),
    path("imports/<int:pk>/", views.import_detail, name="import-detail"),
    path("imports/<int:pk>/confirm/", views.import_confirm, name="import-confirm"),
    path("imports/templates/<str:kind>.<str:fmt>", views.template_download, name="template"),
    path("exports/<str:kind>.<str:fmt>", views.export_download, name="export"),
]
