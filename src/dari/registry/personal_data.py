"""The registry's part of a user's personal data: the person record linked to their account.

Registered on ``dari.core.personal_data`` and ``dari.core.panels.profile_panels`` in
``RegistryConfig.ready``, because accounts, an earlier app, cannot import the registry.
"""

from dari.core.panels import Panel, profile_panels
from dari.core.personal_data import register_eraser, register_exporter

from . import services
from .models import Affiliation, Person


def person_of(user) -> Person | None:
    """Read afresh, not from ``user.person``, which may hold a stale copy cached on the user."""
    return Person.objects.filter(user=user).first() if user.pk is not None else None


@register_exporter("registry_person")
def export_person(user) -> dict | None:
    person = person_of(user)
    if person is None:
        return None
    affiliations = Affiliation.objects.filter(person=person).select_related("organization")
    return {
        "id": person.pk,
        "key": person.key,
        "name_ko": person.name_ko,
        "name_en": person.name_en,
        "email": person.email,
        "is_public": person.is_public,
        "public_listing_basis": person.public_listing_basis,
        "listing_consent_at": person.listing_consent_at.isoformat() if person.listing_consent_at else None,
        "affiliations": [
            {
                "organization": str(affiliation.organization),
                "title_ko": affiliation.title_ko,
                "title_en": affiliation.title_en,
                "started_on": affiliation.started_on.isoformat() if affiliation.started_on else None,
                "ended_on": affiliation.ended_on.isoformat() if affiliation.ended_on else None,
            }
            for affiliation in affiliations
        ],
    }


@register_eraser
def erase_person_link(actor, user) -> None:
    """A deleted account withdraws its consent to be listed (a public role keeps its listing) and is
    unlinked from the person record, which stays: other records name the person."""
    person = person_of(user)
    if person is None:
        return
    if person.listing_consent_at is not None or person.public_listing_basis == Person.ListingBasis.CONSENT:
        services.withdraw_listing_consent(actor, person)
    Person.objects.filter(pk=person.pk).update(user=None)


@profile_panels.register(order=10)
def person_panel(request, user):
    person = person_of(user)
    if person is None:
        return None
    return Panel("registry/_profile_person_panel.html", {"person": person})
