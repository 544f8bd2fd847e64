"""Settings for the load benchmark's server (benchmarks/load.py): Dari's own, with a URLconf that adds
the bare view measured beside Dari's pages. Only the benchmark uses it; the product's URLs stay as
they are."""

from dari.settings import *  # noqa: F403

ROOT_URLCONF = "load_urls"
