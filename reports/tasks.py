from celery import shared_task

from . import services


@shared_task
def generate_report(report_id: int) -> str:
    return services.report_generate(report_id=report_id).state
