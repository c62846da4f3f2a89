from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicesConfig(AppConfig):
    name = "mediamatrix.indices"
    label = "indices"
    verbose_name = _("指数与通报")

    def ready(self) -> None:
        from mediamatrix.indices import demo, tasks  # noqa: F401  (periodic jobs, demo step)
        from mediamatrix.indices.settled import on_posts_written
        from mediamatrix.ingestion.events import posts_written

        posts_written.connect(on_posts_written, dispatch_uid="indices.settled")
