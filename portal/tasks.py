"""Celery tasks of the portal core."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task
def heartbeat() -> str:
    """Proves beat → broker → worker is alive; visible in the worker log."""
    logger.info("DVCQ heartbeat")
    return "ok"


@shared_task
def echo(value: str) -> str:
    """Returns its argument: the smallest real round trip through the broker and result backend."""
    return f"echo:{value}"
