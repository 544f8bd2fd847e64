"""The suggestions panel on the organization page (registered here: the registry cannot import matching)."""
