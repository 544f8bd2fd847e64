"""The fixed outcome vocabulary. Later work may add kinds and stages, never rename them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    INVESTMENT = "investment", _("investment")
    CONTRACT = "contract", _("contract")
    PARTNERSHIP = "partnership", _("partnership")
    MARKET_ENTRY = "market_entry", _("market entry")
    REGULATORY = "regulatory", _("regulatory")
    CLINICAL_PILOT = "clinical_pilot", _("clinical pilot")


class Stage(models.TextChoices):
    # investment
    SOURCED = "sourced", _("sourced")
    IN_REVIEW = "in_review", _("in review")
    TERM_SHEET = "term_sheet", _("term sheet")
    CLOSED = "closed", _("closed")
    DECLINED = "declined", _("declined")
    WITHDRAWN = "withdrawn", _("withdrawn")
    # contract
    NEGOTIATING = "negotiating", _("negotiating")
    PROVISIONAL = "provisional", _("provisional")
    SIGNED = "signed", _("signed")
    DELIVERING = "delivering", _("delivering")
    ENDED = "ended", _("ended")
    # partnership
    DISCUSSING = "discussing", _("discussing")
    LOI = "loi", _("letter of intent")
    ACTIVE = "active", _("active")
    # market entry
    PREPARING = "preparing", _("preparing")
    ENTERED = "entered", _("entered")
    # regulatory
    SUBMITTED = "submitted", _("submitted")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    # clinical pilot
    PLANNED = "planned", _("planned")
    RUNNING = "running", _("running")
    COMPLETED = "completed", _("completed")


STAGES_BY_KIND: dict[str, tuple[str, ...]] = {
    Kind.INVESTMENT: ("sourced", "in_review", "term_sheet", "closed", "declined", "withdrawn"),
    Kind.CONTRACT: ("negotiating", "provisional", "signed", "delivering", "ended"),
    Kind.PARTNERSHIP: ("discussing", "loi", "active", "ended"),
    Kind.MARKET_ENTRY: ("preparing", "entered", "withdrawn"),
    Kind.REGULATORY: ("preparing", "submitted", "approved", "rejected", "withdrawn"),
    Kind.CLINICAL_PILOT: ("planned", "running", "completed", "ended"),
}


# Stages in which terms are still being negotiated: an amount is confidential then, unless disclosed.
NEGOTIATION_STAGES = frozenset(
    {"sourced", "in_review", "term_sheet", "negotiating", "provisional", "discussing", "loi"}
)


class Disclosure(models.TextChoices):
    AUTO = "auto", _("confidential while under negotiation")
    PUBLIC = "public", _("public")
    CONFIDENTIAL = "confidential", _("confidential")


class Period(models.TextChoices):
    TOTAL = "total", _("in total")
    PER_YEAR = "year", _("per year")
    PER_MONTH = "month", _("per month")


def is_valid_stage(kind: str, stage: str) -> bool:
    return stage in STAGES_BY_KIND.get(kind, ())
