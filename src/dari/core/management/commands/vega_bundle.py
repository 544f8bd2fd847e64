from django.core.management.base import BaseCommand

from dari.core.vega import BUNDLE, write_bundle


class Command(BaseCommand):
    help = (
        "Write the vega-embed bundle that the installed vl-convert-python ships to Dari's static files "
        f"({BUNDLE.name}), after upgrading vl-convert-python; the pages draw their charts with it."
    )

    def handle(self, *args, **options):
        path = write_bundle()
        self.stdout.write(f"{path} ({path.stat().st_size // 1024} KiB)")
