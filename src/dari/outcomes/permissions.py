"""Who may see an outcome's confidential fields and change it."""

from dari.accounts.access import access_for

CONFIDENTIAL_AMOUNT_FIELDS = frozenset({"amount", "currency"})


def is_insider(user, outcome) -> bool:
    """Staff, members of the startup and managers of the outcome's program."""
    access = access_for(user)
    return (
        access.sees_everything
        or outcome.startup_id in access.organization_ids
        or (outcome.program_id is not None and outcome.program_id in access.managed_program_ids)
    )


def confidential_fields(user, outcome) -> frozenset[str]:
    """The redaction rule for outcomes (registered with ``dari.core.redaction``)."""
    if outcome.is_amount_confidential and not is_insider(user, outcome):
        return CONFIDENTIAL_AMOUNT_FIELDS
    return frozenset()


def can_change_outcome(user, outcome) -> bool:
    return is_insider(user, outcome)
