"""The bytes of stored files, under ``settings.FILES_DIR`` by random name.

Writes go to a temporary name in the same directory and are renamed into place, so a crash never
leaves half a file under a name the database points to.
"""

from __future__ import annotations

import errno
import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

CHUNK = 1024 * 1024
# The errors that mean "no room": the disk is full, or the files' owner is over its quota.
NO_ROOM = {errno.ENOSPC, errno.EDQUOT}


class StorageFull(OSError):
    """The files directory has no room for this file; nothing of it was kept."""


def files_dir() -> Path:
    return Path(settings.FILES_DIR)


def path_of(relative_path: str) -> Path:
    return files_dir() / relative_path


@dataclass(frozen=True)
class Written:
    storage_name: str
    relative_path: str
    size: int
    sha256: str


def new_storage_name() -> str:
    return secrets.token_hex(32)


def write_chunks(chunks) -> Written:
    """Write the byte ``chunks`` under a new random name; returns its name, size and SHA-256."""
    storage_name = new_storage_name()
    relative_path = f"{storage_name[:2]}/{storage_name}"
    target = path_of(relative_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{storage_name}.part")
    digest = hashlib.sha256()
    size = 0
    try:
        with open(temporary, "xb") as handle:
            for chunk in chunks:
                digest.update(chunk)
                size += len(chunk)
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o640)
        os.replace(temporary, target)
    except BaseException as error:
        temporary.unlink(missing_ok=True)
        if isinstance(error, OSError) and error.errno in NO_ROOM:
            raise StorageFull(error.errno, os.strerror(error.errno)) from error
        raise
    return Written(storage_name, relative_path, size, digest.hexdigest())


def remove(relative_path: str) -> None:
    path_of(relative_path).unlink(missing_ok=True)
