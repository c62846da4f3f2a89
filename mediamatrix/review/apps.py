from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "mediamatrix.review"
    label = "review"
    verbose_name = _("内容审核")

    def ready(self) -> None:
        from mediamatrix.engines import checks

        checks.load_builtin()
