from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IngestionConfig(AppConfig):
    name = "mediamatrix.ingestion"
    label = "ingestion"
    verbose_name = _("数据采集")

    def ready(self) -> None:
        # Built-in connectors register themselves on import, like add-ons do.
        from mediamatrix.ingestion import connectors
        from mediamatrix.ingestion.signals import follow_unit_move
        from mediamatrix.orgs.signals import unit_moved

        connectors.load_builtin()
        unit_moved.connect(follow_unit_move, dispatch_uid="ingestion.follow_unit_move")
