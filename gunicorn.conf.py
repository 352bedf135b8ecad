"""gunicorn's configuration (read from the working directory: `gunicorn portal.wsgi` in the image), from the
environment. docs/deploy/README.md lists the variables.

Threaded workers (gthread): the worker's main loop keeps telling the arbiter it is alive while a request runs,
so a long request (the back office's CSV export of a large list streams for minutes) is not killed at
``timeout``, which then bounds only a worker that is really stuck.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 8)))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# The application is loaded and warmed up once, in the arbiter, before the port opens (portal/wsgi.py: the
# URLconf, the templates, the CERFA's official form and font, WeasyPrint); each worker is forked from it, ready,
# sharing that memory copy-on-write. No request waits for a worker to boot, at start or when one is replaced
# (max_requests). A new release is a restart, not a HUP (which would keep the loaded code).
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() not in ("0", "false", "no")
# A worker is replaced after this many requests (bounded memory growth), not all at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = 100
# The heartbeat file in memory, not on the container's overlay filesystem.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Logs to stdout/stderr (the container's log). The access log has the path, never the query string: searches
# (names of salariés) stay out of the logs.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
# X-Forwarded-* are trusted from these addresses only (the TLS proxy).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# No control socket (gunicorn ≥ 27 would create it in $HOME, which the image's user cannot write; unused).
control_socket_disable = True


def pre_fork(server, worker):
    """A worker never inherits a database connection of the arbiter (two processes on one socket mix their
    queries): the warm-up runs no query, and this closes any that something would have opened anyway."""
    from django.conf import settings

    if server.cfg.preload_app and settings.configured:  # the portal (not another app given to this config)
        from django.db import connections

        connections.close_all()
