"""What later apps hold about a user, for the export and the erasure that accounts offers.

Accounts owns the user, but a later app (the registry's person record, say) may hold personal data
about them too, and accounts cannot import it. Each such app registers, in its ``AppConfig.ready``,
an exporter (``exporter(user) -> JSON-safe value``, shown under its key in the export) and an eraser
(``eraser(actor, user) -> None``, called inside the deletion's transaction).
"""

from collections.abc import Callable

Exporter = Callable[[object], object]
Eraser = Callable[[object, object], None]

exporters: dict[str, Exporter] = {}
erasers: list[Eraser] = []


def register_exporter(key: str) -> Callable[[Exporter], Exporter]:
    def decorator(exporter: Exporter) -> Exporter:
        exporters[key] = exporter
        return exporter

    return decorator


def register_eraser(eraser: Eraser) -> Eraser:
    if eraser not in erasers:
        erasers.append(eraser)
    return eraser
