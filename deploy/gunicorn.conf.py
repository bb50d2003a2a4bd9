"""gunicorn settings for the portal (production). Values come from the environment, like the portal's.

Uploads reach gunicorn only after nginx has buffered them (proxy_request_buffering), so a slow
office connection never holds a worker; long work (PDFs, reminders) runs in Celery, so a request
that needs more than `timeout` seconds is a fault, not a workload.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "55"))  # nginx gives up at 60 s
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak in a library never grows without bound.
max_requests = 1000
max_requests_jitter = 100
worker_tmp_dir = "/dev/shm"  # noqa: S108 — heartbeat files off the disk (a slow disk must not kill workers)
# Only nginx on this host may say which scheme the browser used (X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = "-"
# No query strings in the access log: tokens or search terms are not the log's business.
access_log_format = '%({x-forwarded-for}i)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
proc_name = os.environ.get("GUNICORN_NAME", "dvcq-web")
