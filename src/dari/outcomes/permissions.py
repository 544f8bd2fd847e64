"""Who may see an outcome's confidential fields and change it."""

from dari.accounts.access import access_for

# The locked USD and KRW values (``values``) are the amount in other words: hidden with it.
CONFIDENTIAL_AMOUNT_FIELDS = frozenset(
    {"amount", "currency", "usd_value", "krw_value", "usd_rate", "krw_rate", "rate_on"}
)
# Free text that may repeat the amount is hidden with it; pages and the API show what may be said
# publicly instead (``PUBLIC_TEXT_FIELDS``), or the disclosure ("confidential while under negotiation").
AMOUNT_TEXT_FIELDS = frozenset(
    {
        "title_ko",
        "title_en",
        "summary_ko",
        "summary_en",
        "counterparty_description_ko",
        "counterparty_description_en",
    }
)
PUBLIC_TEXT_FIELDS = {
    "title_ko": "public_title_ko",
    "title_en": "public_title_en",
    "summary_ko": "public_summary_ko",
    "summary_en": "public_summary_en",
}
STAGE_NOTE_FIELDS = frozenset({"note_ko", "note_en"})


def is_insider(user, outcome) -> bool:
    """Staff, members of the startup and managers of the outcome's program."""
    access = access_for(user)
    return (
        access.sees_everything
        or outcome.startup_id in access.organization_ids
        or (outcome.program_id is not None and outcome.program_id in access.managed_program_ids)
    )


def is_amount_hidden(user, outcome) -> bool:
    """Whether ``outcome`` has an amount that ``user`` may not see (see ``Outcome.is_amount_confidential``);
    an outcome whose source gives no amount hides nothing."""
    return outcome.amount is not None and outcome.is_amount_confidential and not is_insider(user, outcome)


def confidential_fields(user, outcome) -> frozenset[str]:
    """The redaction rule for outcomes (registered with ``dari.core.redaction``): the amount and
    every text that may repeat it."""
    if is_amount_hidden(user, outcome):
        return CONFIDENTIAL_AMOUNT_FIELDS | AMOUNT_TEXT_FIELDS
    return frozenset()


def confidential_stage_change_fields(user, change) -> frozenset[str]:
    """The redaction rule for stage changes: a note follows its outcome's amount."""
    return STAGE_NOTE_FIELDS if is_amount_hidden(user, change.outcome) else frozenset()


def confidential_investor_fields(user, investor) -> frozenset[str]:
    """The redaction rule for a round's investors: a share follows its round's amount."""
    return frozenset({"share"}) if is_amount_hidden(user, investor.outcome) else frozenset()


def hidden_text_label(outcome) -> str:
    """What a hidden text of ``outcome`` reads as: "confidential while under negotiation", or
    "confidential" when its amount is confidential at every stage."""
    return str(outcome.get_amount_disclosure_display())


def can_change_outcome(user, outcome) -> bool:
    return is_insider(user, outcome)


def takes_part(startup, program) -> bool:
    """Whether ``startup`` takes part in ``program`` (any status: an alumnus's outcomes still count)."""
    return program.participants.filter(organization=startup).exists()


def can_record_outcome(user, startup, program=None) -> bool:
    """Who may record an outcome of ``startup`` (in ``program``, or in none): staff; members of the
    startup; managers of ``program`` when the startup takes part in it. What they record, they may
    then change and move (``is_insider``)."""
    access = access_for(user)
    if access.sees_everything:
        return True
    if startup is None:
        return False
    if startup.pk in access.organization_ids:
        return True
    return program is not None and program.pk in access.managed_program_ids and takes_part(startup, program)


def may_record_outcomes(user) -> bool:
    """Whether ``user`` may record an outcome of some startup (the link to the form)."""
    access = access_for(user)
    return access.sees_everything or bool(access.organization_ids or access.managed_program_ids)
