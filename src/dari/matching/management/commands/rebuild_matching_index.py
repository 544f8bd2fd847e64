import sys
import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Rebuild the search and matching index from the whole registry and store it as a new snapshot "
        "(every web process loads it on its next request). Shows progress on stderr."
    )

    def handle(self, *args, **options):
        from dari.matching.engine import rebuild_index

        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            percent = 100 * done // total if total else 100
            sys.stderr.write(f"\rindexing {done}/{total} ({percent}%)")
            sys.stderr.flush()

        snapshot = rebuild_index(progress)
        sys.stderr.write("\n")
        self.stdout.write(
            f"Stored search index v{snapshot.version}: {snapshot.document_count} documents, "
            f"{len(snapshot.data) / 1e6:.1f} MB, in {time.monotonic() - started:.1f} s"
        )
