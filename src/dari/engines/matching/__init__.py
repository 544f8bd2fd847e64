"""Matchmaking and search: cross-lingual, explainable, measured (no Django imports)."""
