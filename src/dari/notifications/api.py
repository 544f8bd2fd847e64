"""``/api/v1/notifications``: the caller's own notifications and notification preferences."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Router, Schema
from ninja.pagination import paginate

from dari.accounts.audit import Actor
from dari.core.api import InputSchema, Pagination, absolute_url, errors, signed_in

from . import services
from .kinds import get_kind, is_registered
from .models import Notification

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    kind_label: str
    title_ko: str
    title_en: str
    body_ko: str
    body_en: str
    is_read: bool
    read_at: datetime | None
    created_at: datetime
    time_zone: str = "UTC"
    link_url: str | None
    web_url: str

    @staticmethod
    def resolve_kind_label(notification: Notification) -> str:
        return (
            str(get_kind(notification.kind).label) if is_registered(notification.kind) else notification.kind
        )

    @staticmethod
    def resolve_link_url(notification: Notification, context) -> str | None:
        return absolute_url(context, notification.link) if notification.link else None

    @staticmethod
    def resolve_web_url(notification: Notification, context) -> str:
        """The page of what the notification is about, else the list of notifications."""
        return absolute_url(context, notification.link or reverse("notifications:list"))


class ReadAllOut(Schema):
    marked: int


class PreferenceOut(Schema):
    kind: str
    label: str
    by_email: bool
    in_app: bool


class PreferenceIn(InputSchema):
    kind: str
    by_email: bool | None = None
    in_app: bool | None = None


class PreferencesIn(InputSchema):
    preferences: list[PreferenceIn]


def preferences_out(user) -> list[dict]:
    return [
        {"kind": p.kind.key, "label": str(p.kind.label), "by_email": p.by_email, "in_app": p.in_app}
        for p in services.preferences_of(user)
    ]


@router.get("", response=list[NotificationOut], auth=signed_in, summary="My notifications")
@paginate(Pagination)
def list_notifications(request, unread: bool = False):
    """The caller's notifications, newest first; ``?unread=true`` for the unread ones only."""
    notifications = Notification.objects.visible_to(request.user)
    return notifications.unread() if unread else notifications


@router.post(
    "/read-all", response={200: ReadAllOut, **errors(401, 403)}, auth=signed_in, summary="Mark all as read"
)
def read_all(request):
    return {"marked": services.mark_all_read(request.user)}


@router.post(
    "/{notification_id}/read",
    response={200: NotificationOut, **errors(401, 403, 404, 422)},
    auth=signed_in,
    summary="Mark one notification as read",
)
def read_one(request, notification_id: int):
    """Someone else's notification is 404, as if it did not exist."""
    notification = get_object_or_404(Notification.objects.visible_to(request.user), pk=notification_id)
    services.mark_read(request.user, notification)
    notification.refresh_from_db()
    return notification


@router.get(
    "/preferences",
    response={200: list[PreferenceOut], **errors(401)},
    auth=signed_in,
    summary="My notification preferences",
)
def get_preferences(request):
    """Every kind that can be turned off, with whether it reaches the caller by e-mail and in the app.
    Essential kinds (account security) are not listed: they always arrive."""
    return preferences_out(request.user)


@router.put(
    "/preferences",
    response={200: list[PreferenceOut], **errors(401, 403, 422)},
    auth=signed_in,
    summary="Change my notification preferences",
)
def put_preferences(request, payload: PreferencesIn):
    """``{"preferences": [{"kind": ..., "by_email": false}]}``: each entry changes one kind; a field
    left out (or null) stays as it is. All or nothing: an unknown or essential kind refuses the whole
    request (422)."""
    actor = Actor.from_request(request)
    with transaction.atomic():
        for index, entry in enumerate(payload.preferences):
            try:
                services.set_preference(
                    actor, request.user, entry.kind, by_email=entry.by_email, in_app=entry.in_app
                )
            except ValidationError as error:
                raise ValidationError({f"preferences.{index}.kind": error.messages}) from error
    return preferences_out(request.user)
