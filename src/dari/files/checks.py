"""A system check: the files directory must not be anywhere a static file server looks."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, register


def served_directories() -> list[Path]:
    """Every directory whose contents Dari serves as static files (whitenoise and the finders)."""
    from django.contrib.staticfiles.finders import get_finders

    directories = [Path(settings.STATIC_ROOT)] if settings.STATIC_ROOT else []
    for finder in get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                directories.append(Path(location))
    return [directory.resolve() for directory in directories]


@register()
def files_dir_outside_static(app_configs=None, **kwargs):
    files_dir = Path(settings.FILES_DIR).resolve()
    errors = []
    for directory in served_directories():
        if files_dir == directory or directory in files_dir.parents or files_dir in directory.parents:
            errors.append(
                Error(
                    f"DARI_FILES_DIR ({files_dir}) overlaps the static files directory {directory}: "
                    "protected files would be served to anyone.",
                    hint="Point DARI_FILES_DIR outside STATIC_ROOT and the apps' static/ folders.",
                    id="files.E001",
                )
            )
    return errors
