"""Kept for the imports (and migrations) that name it: the time helpers live in ``dari.core.time``."""

from dari.core.time import (
    format_in_zone,
    format_moment,
    in_zone,
    validate_zone,
    zone_choices,
    zones_to_show,
)

__all__ = ["format_in_zone", "format_moment", "in_zone", "validate_zone", "zone_choices", "zones_to_show"]
