"""Benchmark settings: the production settings unchanged, except the URLconf, which adds the baseline views.

Everything else (DEBUG, keys, hosts, HTTPS switches) comes from the environment that bench/run.sh sets, exactly as
for `make run`.
"""

from mips_portal.settings.base import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
