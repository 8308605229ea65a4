"""gunicorn settings for production (read from the working directory; see docs/benchmarks.md, "Server").

Sync workers, 2 × cores + 1: rendering a page is CPU work under the GIL, so threads would not
render faster, and while one worker waits on PostgreSQL or on an upload being checked the others
keep both cores busy. The reverse proxy buffers slow clients, which is what sync workers need.
GUNICORN_WORKERS overrides the count (e.g. on a host shared with the database).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
worker_class = "sync"
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1))
timeout = 60
accesslog = "-"
