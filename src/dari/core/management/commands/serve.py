"""``dari serve``: Dari under gunicorn, the production web server (docs/deploy.md)."""

import gc
import logging
import time

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connections
from django.urls import get_resolver
from django.utils import translation


def freeze_start_up_objects(worker) -> None:
    """Python's full garbage collection walks every object a process holds: in a worker, the ~230,000
    that Django, the apps and their catalogues made at start-up and keep for the process's life. It
    took ~250 ms once every few dozen requests, stalling every thread of the worker at once (the
    p99 of benchmarks/results/load.md). Frozen, they are left out of every collection."""
    gc.collect()
    gc.freeze()


logger = logging.getLogger(__name__)


def warm_up_apps() -> list[tuple[str, float]]:
    """Load, in the arbiter before it forks the workers, what a worker would otherwise load inside
    its first requests, stalling every thread of it for seconds: the URL modules (every view and the
    API), the translation catalogues, and what each app config's ``warm_up()`` loads (the search
    app's Korean analyser, text encoder and index). Loaded once, it is shared by the workers, and a
    worker replaced after ``max_requests`` starts warm too. A failure (the database not reachable
    yet) is logged and leaves that app to load on first use, as without this; it never stops the
    server. Returns what was loaded (``urls`` and each app's label) with its seconds."""
    done = []
    started = time.perf_counter()
    # Every URL module, hence every view and the API's schemas (~2 s: ninja builds a pydantic model
    # per operation), and both languages' translation catalogues.
    get_resolver().url_patterns  # noqa: B018
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Dari")
    done.append(("urls", time.perf_counter() - started))
    for config in apps.get_app_configs():
        warm_up = getattr(config, "warm_up", None)
        if warm_up is None:
            continue
        started = time.perf_counter()
        try:
            warm_up()
        except Exception:
            logger.exception("Warming up %s failed: it loads on first use instead", config.label)
        else:
            done.append((config.label, time.perf_counter() - started))
    # The workers are forked from this process: none may inherit its database connection.
    connections.close_all()
    return done


class Command(BaseCommand):
    help = (
        "Serve Dari with gunicorn: DARI_WEB_WORKERS processes (default 2) of DARI_WEB_THREADS threads "
        "(default 4) on DARI_WEB_BIND (default 127.0.0.1:8000), static files included (WhiteNoise). "
        "Put a reverse proxy in front of it for TLS (DARI_HTTPS=true); run `dari db_worker` and "
        "`dari run_periodic` beside it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=settings.WEB_BIND, help="host:port or unix:PATH")
        parser.add_argument("--workers", type=int, default=settings.WEB_WORKERS)
        parser.add_argument("--threads", type=int, default=settings.WEB_THREADS)
        parser.add_argument("--access-log", action="store_true", help="Log each request to standard output.")
        parser.add_argument(
            "--no-preload",
            action="store_true",
            help="Start the workers at once, without loading the search first (each worker then "
            "loads it inside its first search: seconds during which that worker answers nothing).",
        )

    def handle(
        self, *args, bind: str, workers: int, threads: int, access_log: bool, no_preload: bool, **options
    ):
        from gunicorn.app.base import BaseApplication

        from dari.core.logs import access_logger_class
        from dari.wsgi import application

        config = {
            "bind": bind,
            "workers": workers,
            "threads": threads,
            # gthread: each process serves `threads` requests at once, and keeps idle connections.
            "worker_class": "gthread" if threads > 1 else "sync",
            "timeout": settings.WEB_TIMEOUT_SECONDS,
            "graceful_timeout": 30,
            "forwarded_allow_ips": settings.WEB_FORWARDED_ALLOW_IPS,
            # A worker is replaced after this many requests (with jitter), so a slow leak cannot grow.
            "max_requests": 5000,
            "max_requests_jitter": 500,
            "accesslog": "-" if access_log else None,
            # An invitation or signed-file link in a request line is logged without its secret.
            "logger_class": access_logger_class(),
            "proc_name": "dari",
            # gunicorn's runtime control socket sits at one path per user: several `dari serve` on one
            # host (one per port, deploy/systemd) would take it from each other. Signals do the job.
            "control_socket_disable": True,
            "post_worker_init": freeze_start_up_objects,
        }

        class DariServer(BaseApplication):
            def load_config(self):
                for key, value in config.items():
                    self.cfg.set(key, value)

            def load(self):
                return application

        warmed = [] if no_preload else warm_up_apps()
        if warmed:
            loaded = ", ".join(f"{label} ({seconds:.1f} s)" for label, seconds in warmed)
            self.stderr.write(f"Loaded before starting the workers: {loaded}")
        DariServer().run()
