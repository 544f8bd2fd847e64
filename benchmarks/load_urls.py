"""Dari's URLs plus ``/bench/bare-organizations``: the yardstick of the load benchmark.

The bare view returns the same 50 public organizations as the first page of
``GET /api/v1/organizations?limit=50`` for an anonymous caller, as JSON, from one query and no
schema, template or permission code: what Django itself costs on this machine, through the same
middleware and server. Dari's figures are reported as a ratio of it, which survives a change of
machine.
"""

from django.http import JsonResponse
from django.urls import path

from dari.registry.models import Organization
from dari.urls import handler500  # noqa: F401 (handler500 is read here)
from dari.urls import urlpatterns as dari_urlpatterns

BARE_FIELDS = ("id", "key", "kind", "name_ko", "name_en", "country", "city_ko", "city_en", "website")


def bare_organizations(request):
    rows = list(Organization.objects.filter(is_public=True).order_by("pk").values(*BARE_FIELDS)[:50])
    return JsonResponse({"items": rows, "count": len(rows)})


urlpatterns = [*dari_urlpatterns, path("bench/bare-organizations", bare_organizations)]
