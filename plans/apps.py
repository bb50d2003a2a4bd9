from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Plans and deadlines")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import widgets

        widgets.register()
