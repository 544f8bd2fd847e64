"""A pytest plugin for Dari's own test run (``-p dari.testing`` in pyproject.toml).

Loaded before pytest-django reads the settings: the run signs with a random key of its own, so no
test passes only because it knows a key (see ``dari.secret_key``).
"""

import os
import secrets

from dari.secret_key import VARIABLE

os.environ.setdefault(VARIABLE, "test-" + secrets.token_urlsafe(50))
