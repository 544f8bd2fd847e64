from django.contrib import admin
from django.urls import include, path

from dari.api import api
from dari.health import healthz

# A database that is briefly away answers 503 (dari.core.unavailable), any other error 500.
handler500 = "dari.core.unavailable.server_error_or_unavailable"

urlpatterns = [
    path("", include("dari.reports.urls")),
    path("organizations/", include("dari.registry.urls")),
    path("agreements/", include("dari.agreements.urls")),
    path("programs/", include("dari.programs.urls")),
    path("outcomes/", include("dari.outcomes.urls")),
    path("", include("dari.exchange.urls")),
    path("", include("dari.matching.urls")),
    path("", include("dari.partnering.urls")),
    path("jobs/", include("dari.jobs.urls")),
    path("files/", include("dari.files.urls")),
    path("notifications/", include("dari.notifications.urls")),
    path("accounts/", include("dari.accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("healthz", healthz, name="healthz"),
]
