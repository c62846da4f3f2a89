"""`mediamatrix posts-template [--format csv|xlsx] [-o FILE]`: the empty posts import template."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from mediamatrix.ingestion.files import FORMATS, posts_template, template_filename


class Command(BaseCommand):
    help = (
        "生成空白的稿件导入模板：只有表头；.xlsx 模板另有“说明”工作表，列出每列是否必填和填写方法。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--format", choices=FORMATS, help="文件格式（默认按 -o 的扩展名，否则 xlsx）"
        )
        parser.add_argument(
            "-o", "--output", help="输出文件（默认：当前目录下的“稿件导入模板.xlsx”）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output_name = options["output"]
        fmt = options["format"]
        if not fmt:
            suffix = Path(output_name).suffix.lower().lstrip(".") if output_name else ""
            fmt = suffix if suffix in FORMATS else "xlsx"
        output = Path(output_name or template_filename(fmt))
        output.write_bytes(posts_template(fmt))
        self.stdout.write(self.style.SUCCESS(f"已生成模板 {output}。"))
