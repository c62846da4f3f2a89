from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IngestionConfig(AppConfig):
    name = "mediamatrix.ingestion"
    label = "ingestion"
    verbose_name = _("数据采集")

    def ready(self) -> None:
        # Built-in connectors register themselves on import, like add-ons do.
        from mediamatrix.ingestion import connectors

        connectors.load_builtin()
