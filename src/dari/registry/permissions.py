"""Who may change what in the registry. Pages, the API and the services ask the same predicates.

Every predicate reads the viewer's ``Access`` (their memberships, loaded once per request), so
asking it for each row of a list costs no query. ``can_change_person`` reads the person's
affiliations: prefetch them when asking for many people.
"""

from dari.accounts.access import access_for


def can_create_organization(user) -> bool:
    """Staff, and program managers (they register the startups that join their programs)."""
    access = access_for(user)
    return access.sees_everything or bool(access.managed_program_ids)


def can_change_organization(user, organization) -> bool:
    """Staff, and the organization's own members and administrators (they keep its profile current)."""
    access = access_for(user)
    return access.sees_everything or organization.pk in access.organization_ids


def can_merge_organizations(user) -> bool:
    """Only staff: a merge rewrites records of every app and cannot be undone."""
    return access_for(user).sees_everything


def can_create_person(user, organization=None) -> bool:
    """Staff anywhere; an organization's members when the new person is affiliated with it."""
    access = access_for(user)
    if access.sees_everything:
        return True
    return organization is not None and organization.pk in access.organization_ids


def can_change_person(user, person) -> bool:
    """Who has the right over a person's record (rename, re-address, unlist, attach elsewhere): the
    person themself (their linked account), staff, and the administrators of an organization the
    person is affiliated with through a *confirmed*, current affiliation (``Affiliation.confirmed_at``).
    People listed for a public role (the officials a public source names) are changed by staff only:
    no organization speaks for a mayor or a president."""
    access = access_for(user)
    if access.sees_everything:
        return True
    if person.pk is None or not access.is_authenticated:
        return False
    if person.public_listing_basis == person.ListingBasis.PUBLIC_ROLE:
        return False
    if person.user_id is not None and person.user_id == user.pk:
        return True
    administered = access.administered_organization_ids
    return bool(administered) and any(
        affiliation.organization_id in administered and affiliation.is_confirmed and affiliation.is_current
        for affiliation in person.affiliations.all()
    )


def can_set_public_role(user) -> bool:
    """Only staff record that a public source names someone in an official role: that basis lists
    the person without their consent and takes their entry out of anyone else's hands."""
    return access_for(user).sees_everything


def can_change_affiliation(user, affiliation) -> bool:
    """Staff, and members of the organization the affiliation is with (they say who works there; an
    affiliation to a person they have no right over stays a request until confirmed)."""
    access = access_for(user)
    return access.sees_everything or affiliation.organization_id in access.organization_ids


def can_decide_listing(user, person) -> bool:
    """The person themselves (their linked account) and staff: a decision only they may take."""
    # Not ``is_authenticated``: deleting an account withdraws its consent after deactivating it.
    if user is None:
        return False
    return (person.user_id is not None and person.user_id == user.pk) or access_for(user).sees_everything


def can_confirm_affiliation(user, affiliation) -> bool:
    """The person themself and staff: an organization cannot confirm its own claim on someone."""
    return can_decide_listing(user, affiliation.person)


def can_remove_affiliation(user, affiliation) -> bool:
    """Its organization's members and staff, and the person, who may turn down a claim on them."""
    return can_change_affiliation(user, affiliation) or can_confirm_affiliation(user, affiliation)


def can_change_relationship(user, relationship) -> bool:
    """Staff, and members of either organization the relationship ties."""
    access = access_for(user)
    return access.sees_everything or bool(
        {relationship.subject_id, relationship.object_id} & access.organization_ids
    )
