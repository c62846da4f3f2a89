from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "mediamatrix.notices"
    label = "notices"
    verbose_name = _("通知")

    def ready(self) -> None:
        # Built-in channels register themselves on import, like add-ons do.
        from mediamatrix.core.context_processors import register_badge
        from mediamatrix.notices import channels, tasks  # noqa: F401  (periodic retry job)
        from mediamatrix.notices.selectors import unread_count
        from mediamatrix.notices.signals import follow_unit_move
        from mediamatrix.orgs.signals import unit_moved

        channels.load_builtin()
        unit_moved.connect(follow_unit_move, dispatch_uid="notices.follow_unit_move")
        register_badge("notices:inbox", unread_count)
