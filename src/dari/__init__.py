"""Dari (다리): open-source software for cross-border bio-industry partnerships."""

__version__ = "0.1.0"
