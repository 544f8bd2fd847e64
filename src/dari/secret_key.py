"""Where Dari's secret key comes from. No Django here: the settings and the ``dari`` script read it
before Django is set up.

The key signs sessions, password-reset and e-mail-verification links, unsubscribe links and the
signed file links in e-mails: whoever knows it can forge all of them. So there is no default key:

- production sets ``DARI_SECRET_KEY`` (and, while rotating, ``DARI_SECRET_KEY_FALLBACKS``); with
  debugging off and no key, the settings refuse to load, naming the variable;
- ``dari demo`` makes a random key once per installation and keeps it in ``$DARI_VAR_DIR/secret-key``
  (readable by its owner only); every later ``dari`` command of that installation reads it;
- with ``DARI_DEBUG=true`` (development) the settings read or make that same file;
- the test run uses a random key of its own (``dari.testing``).
"""

import os
import secrets
from pathlib import Path

VARIABLE = "DARI_SECRET_KEY"

#: Keys that were public at some point (in this source): refused by the system check
#: ``dari.E001``, since anything signed with them can be forged by anyone.
KNOWN_KEYS = frozenset({"dari-insecure-demo-key-set-DARI_SECRET_KEY-in-production"})


def var_dir() -> Path:
    """``$DARI_VAR_DIR``, by default ``./var`` under the working directory."""
    return Path(os.environ.get("DARI_VAR_DIR") or Path.cwd() / "var").resolve()


def installation_key_path(directory: Path | None = None) -> Path:
    return (directory or var_dir()) / "secret-key"


def installation_key(directory: Path | None = None, *, create: bool) -> str | None:
    """This installation's own random key from ``secret-key`` under ``directory``; made there (mode
    0600) when ``create`` and missing. None when missing and not ``create``."""
    path = installation_key_path(directory)
    if path.exists():
        key = path.read_text(encoding="ascii").strip()
        if key:
            return key
    if not create:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    # O_EXCL: of two processes starting at once, one writes the key and the other reads it.
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return installation_key(directory, create=False)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(key + "\n")
    return key


def use_installation_key(*, create: bool) -> None:
    """For the ``dari`` script: without ``DARI_SECRET_KEY`` in the environment, put this
    installation's key there (made first when ``create``, i.e. for ``dari demo``), so that the
    settings and the processes it starts (the worker, the periodic runner) all sign with it."""
    if os.environ.get(VARIABLE):
        return
    key = installation_key(create=create)
    if key is not None:
        os.environ[VARIABLE] = key
