"""What self-registration (``dari.accounts.services.registrations``) needs from the registry, handed
to accounts in ``RegistryConfig.ready``: accounts is an earlier app and imports nothing from here."""

from dari.accounts.audit import Actor

from .models import Organization
from .services import create_organization


def claimable_organizations():
    """The organizations a registering person may say they belong to: the public ones."""
    return Organization.objects.filter(is_public=True).order_by("name_en", "name_ko")


def create_registered_startup(actor: Actor, values: dict) -> Organization:
    """An approved new startup: a private startup (its administrator publishes it) made by
    ``create_organization`` from the request's names, website and descriptions, with its checks
    and its audit entry (registry.organization.created)."""
    return create_organization(actor, {**values, "kind": Organization.Kind.STARTUP, "is_public": False})
