from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "mediamatrix.review"
    label = "review"
    verbose_name = _("内容审核")

    def ready(self) -> None:
        from mediamatrix.engines import checks
        from mediamatrix.ingestion.events import posts_rewritten
        from mediamatrix.review import (
            demo,  # noqa: F401  (the demo step)
            resources,
        )
        from mediamatrix.review.tasks import enqueue_checks

        checks.load_builtin()
        resources.register()
        posts_rewritten.connect(enqueue_checks, dispatch_uid="review.enqueue_checks")
