"""Engines: pure-Python computation with no Django imports, called by the apps through adapters."""
