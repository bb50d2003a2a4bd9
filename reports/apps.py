from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from scoring.services.receipts import receipt_attachment_register

        from . import widgets
        from .receipt import receipt_attachment

        widgets.register()
        receipt_attachment_register(receipt_attachment)
