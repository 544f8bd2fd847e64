"""Who sees what in the histories of organizations and people (see ``dari.accounts.history``).

An organization's or a person's own fields are shown to whoever sees its page, as the page and the
API show them; what else an entry records (the rows a merge moved, the registration that created an
organization) and a person's e-mail address and consent record (personal data, which the API never
gives and the edit form shows to those who may change the person) only to the insiders.
"""

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
