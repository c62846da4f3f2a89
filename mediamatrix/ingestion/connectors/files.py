"""The Excel/CSV file connector: posts and metrics from an uploaded or local spreadsheet.

Files are driven by their own interfaces (the import centre's upload, `mediamatrix import-posts`);
the work is `services.files.posts_import_file`. See docs/ingestion/files.md.
"""

from typing import cast

from django.utils.translation import gettext_lazy

from mediamatrix.ingestion.connectors import Connector, register

NAME = "file"

register(
    Connector(
        name=NAME,
        # Lazy: translated when shown.
        label=cast(str, gettext_lazy("Excel/CSV 文件")),
        kind="file",
        docs=cast(
            str,
            gettext_lazy(
                "在导入中心上传稿件导入模板或微信公众号后台“内容分析”导出的 Excel/CSV 文件，"
                "或用命令 mediamatrix import-posts 导入；按“账号 + 平台内容ID”幂等，"
                "重复导入同一文件不会产生重复稿件或数据快照。"
            ),
        ),
    )
)
