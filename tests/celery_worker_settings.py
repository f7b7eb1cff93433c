"""Settings of a real Celery worker that a test starts while pytest-xdist runs the suite in several
processes: the application's settings, with the queue of the pytest process that started it.

Each pytest-xdist process (gw0, gw1, ...) has its own test database, but all share the one Redis
database of REDIS_URL. A worker started by gw0 must never take a task queued by gw1 (it would
look for the rows in the wrong database), and the tasks it queues itself (a rendered report's
sending, say) must come back to it: so the process's queue is the default queue on both sides, and
the prefix of its queue of every kind (mail, reports, integrations: pmo/queues.py).
"""

import os

from pmo.queues import celery_routing
from pmo.settings import *  # noqa: F403 - the application's settings, unchanged but for the queues

CELERY_TASK_DEFAULT_QUEUE = os.environ["PMO_TEST_CELERY_QUEUE"]
CELERY_QUEUE_PREFIX = f"{CELERY_TASK_DEFAULT_QUEUE}-"
CELERY_TASK_ROUTES, CELERY_TASK_QUEUES = celery_routing(CELERY_QUEUE_PREFIX)
