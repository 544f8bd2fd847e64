"""Which stored files a user may see: their own uploads, all of them for staff, and the files of
owner objects whose insiders they are. The owner's app decides: through ``files_visible_to(user)``
when its queryset has one (an organization's documents are for its members and the programs that
work with it, not for every visitor of its public profile), else through ``visible_to(user)``. An
owner model with neither shows its files to staff and the uploader only (deny by default).

Within an owner a user may see, the owner's queryset may still withhold some files
(``file_ids_withheld_from(user)``: e.g. a blind reviewer never gets the file that answers an
identifying question of an application) and serve others without their names
(``owner_ids_with_nameless_files(user)``, see ``permissions.shown_filename``)."""

from django.db import models
from django.db.models import Q

from dari.accounts.access import access_for


def owner_visible_ids(model, user):
    """A subquery of the ``model`` ids whose files ``user`` may see, or None when the model says nothing."""
    manager = model._default_manager
    visible_to = getattr(manager, "files_visible_to", None) or getattr(manager, "visible_to", None)
    if visible_to is None:
        return None
    return visible_to(user).values("pk")


def owner_hook(model, name: str):
    """The owner model's queryset method ``name`` (an optional hook above), or None."""
    return getattr(model._default_manager, name, None) if model is not None else None


class StoredFileQuerySet(models.QuerySet):
    def visible_to(self, user):
        access = access_for(user)
        if access.sees_everything:
            return self
        from django.contrib.contenttypes.models import ContentType

        condition = Q(pk__in=[])
        if access.is_authenticated:
            condition |= Q(uploaded_by=user)
        owner_type_ids = self.order_by().values_list("owner_type_id", flat=True).distinct()
        for owner_type_id in owner_type_ids:
            model = ContentType.objects.get_for_id(owner_type_id).model_class()
            visible = owner_visible_ids(model, user) if model is not None else None
            if visible is not None:
                # A generated report shows what its maker was allowed to see (confidential fields
                # included), so it stays with its maker and staff, whoever else sees the owner.
                granted = Q(owner_type_id=owner_type_id, owner_id__in=visible) & ~Q(purpose="report")
                withheld = owner_hook(model, "file_ids_withheld_from")
                if withheld is not None:
                    granted &= ~Q(pk__in=list(withheld(user)))
                condition |= granted
        return self.filter(condition)

    def owned_by_any(self, model, owner_ids):
        """The files of the ``model`` objects whose ids are ``owner_ids``."""
        from django.contrib.contenttypes.models import ContentType

        owner_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        return self.filter(owner_type=owner_type, owner_id__in=owner_ids)

    def owned_by(self, obj):
        from django.contrib.contenttypes.models import ContentType

        owner_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        return self.filter(owner_type=owner_type, owner_id=obj.pk)
