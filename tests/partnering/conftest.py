"""Meeting requests are made from suggestions: the same small world as matching's tests."""

from ..matching.conftest import world  # noqa: F401
