"""Who sees what in the histories of organizations and people (see ``dari.accounts.history``).

An organization's or a person's own fields are shown to whoever sees its page, as the page and the
API show them; what else an entry records (the rows a merge moved, the registration that created an
organization) and a person's e-mail address and consent record (personal data, which the API never
gives and the edit form shows to those who may change the person) only to the insiders.
"""

from django.utils.translation import gettext_lazy as _

from dari.accounts import history

from .models import Organization, Person
from .permissions import can_change_organization, can_change_person
from .services import ORGANIZATION, PERSON

ORGANIZATION_PAGE_FIELDS = frozenset(ORGANIZATION.creatable) | {"description_source", "source"}
PERSON_PAGE_FIELDS = frozenset(PERSON.creatable) - {"email"}


history.register_insiders(Organization, can_change_organization, organizations=lambda viewer: [viewer.obj])
history.register(Organization, "registry.organization.", history.page_fields(ORGANIZATION_PAGE_FIELDS))
history.register_insiders(Person, can_change_person)
history.register(
    Person,
    "registry.person.",
    history.page_fields(PERSON_PAGE_FIELDS),
    references={"listing_consent_recorded_by": history.usernames},
)
history.register_verbs(
    {
        "registry.organization.created": _("Organization added"),
        "registry.organization.changed": _("Organization changed"),
        "registry.organization.merged": _("Organizations merged"),
        "registry.person.created": _("Person added"),
        "registry.person.changed": _("Person changed"),
        "registry.person.listing_consent_given": _("Consent to be listed given"),
        "registry.person.listing_consent_withdrawn": _("Consent to be listed withdrawn"),
        "registry.affiliation.created": _("Affiliation added"),
        "registry.affiliation.changed": _("Affiliation changed"),
        "registry.affiliation.requested": _("Affiliation requested"),
        "registry.affiliation.confirmed": _("Affiliation confirmed"),
        "registry.affiliation.deleted": _("Affiliation removed"),
        "registry.relationship.created": _("Relationship added"),
        "registry.relationship.deleted": _("Relationship removed"),
    }
)
