from django.conf import settings


def dari(request):
    return {"partnership_time_zones": settings.PARTNERSHIP_TIME_ZONES}
