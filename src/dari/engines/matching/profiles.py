"""The matching engine's view of an organization, shared by every signal.

These are plain, immutable records: the Django side (``dari.matching``) and the benchmark adapters
(Crunchbase, generated profiles) both build them, and nothing here imports Django. Identifiers are
strings so that a benchmark's company permalinks and the database's primary keys fit alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

#: Organization kinds, as in ``dari.registry.models.Organization.Kind``.
PARTNER_KINDS = ("investor", "corporate", "hospital", "distributor")
STARTUP_KIND = "startup"

#: Funding stages in order; a deal's or a startup's stage is one of these (or "" when unknown).
STAGES = ("pre_seed", "seed", "series_a", "series_b", "series_c", "growth", "public")


@dataclass(frozen=True)
class Deal:
    """One investment made by an investor: what its deal history reveals about its preferences."""

    company: str
    on: date | None = None
    stage: str = ""
    amount_usd: float | None = None
    sectors: frozenset[str] = frozenset()
    country: str = ""
    region: str = ""
    co_investors: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Profile:
    """An organization as the matching engine sees it.

    ``sectors`` holds taxonomy keys with their ancestors already added. ``region`` is a free key
    below the country (e.g. ``"San Diego"`` or ``"Ulsan"``). ``text_en``/``text_ko`` are the
    descriptions, theses and needs in each language, either of which may be empty. ``related`` holds
    the ids of organizations the subject already works with (left out of its suggestions unless
    asked for). ``deals`` is the investor's history, oldest first.
    """

    id: str
    kind: str
    name_en: str = ""
    name_ko: str = ""
    text_en: str = ""
    text_ko: str = ""
    sectors: frozenset[str] = frozenset()
    country: str = ""
    region: str = ""
    stage: str = ""
    amount_sought_usd: float | None = None
    check_min_usd: float | None = None
    check_max_usd: float | None = None
    stages_of_interest: frozenset[str] = frozenset()
    regions_of_interest: frozenset[str] = frozenset()
    deals: tuple[Deal, ...] = ()
    related: frozenset[str] = frozenset()
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def text(self) -> str:
        """Both languages' texts, for signals that read them together."""
        return "\n".join(part for part in (self.text_en, self.text_ko) if part)
