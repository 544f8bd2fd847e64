from django.utils.functional import SimpleLazyObject

from .models import Notification


def notifications(request):
    """The bell's unread count: one COUNT query, and only if a page actually shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notification_count": 0}
    return {
        "unread_notification_count": SimpleLazyObject(
            lambda: Notification.objects.visible_to(user).unread().count()
        )
    }
