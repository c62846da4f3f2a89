"""`mediamatrix registry-template units|accounts|grid_groups [--format xlsx|csv] [-o FILE]`."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from mediamatrix.orgs.management.commands._registry_options import output_format
from mediamatrix.orgs.registry_io import FORMATS, KINDS, registry_template, template_filename


class Command(BaseCommand):
    help = "生成空白导入模板：只有表头；.xlsx 模板另有“说明”工作表，列出每列是否必填、填写方法和可填的值。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "kind", choices=KINDS, help="units 单位、accounts 账号、grid_groups 网格群"
        )
        parser.add_argument(
            "--format", choices=FORMATS, help="文件格式（默认按 -o 的扩展名，否则 xlsx）"
        )
        parser.add_argument(
            "-o", "--output", help="输出文件（默认：当前目录下的“账号导入模板.xlsx”等）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        fmt = output_format(options["format"], options["output"])
        output = Path(options["output"] or template_filename(options["kind"], fmt))
        output.write_bytes(registry_template(options["kind"], fmt))
        self.stdout.write(self.style.SUCCESS(f"已生成模板 {output}。"))
