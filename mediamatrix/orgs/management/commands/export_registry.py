"""`mediamatrix export-registry units|accounts|grid_groups [--format xlsx|csv] [-o FILE] [--within UNIT]`."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.utils import timezone

from mediamatrix.orgs.management.commands._registry_options import (
    actor_for,
    add_as_option,
    output_format,
)
from mediamatrix.orgs.registry_io import (
    FORMATS,
    KINDS,
    UnitNotFound,
    UnitResolver,
    export_filename,
    export_queryset,
    registry_export,
)
from mediamatrix.orgs.registry_io.values import CellError
from mediamatrix.orgs.selectors import unit_get


class Command(BaseCommand):
    help = "把单位、账号或网格群导出为 Excel（.xlsx）或 CSV（UTF-8 带 BOM）；表头与导入模板相同，导出文件可直接再导入。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "kind", choices=KINDS, help="units 单位、accounts 账号、grid_groups 网格群"
        )
        parser.add_argument(
            "--format", choices=FORMATS, help="文件格式（默认按 -o 的扩展名，否则 xlsx）"
        )
        parser.add_argument(
            "-o", "--output", help="输出文件（默认：当前目录下的“账号_YYYYMMDD.xlsx”等）"
        )
        parser.add_argument(
            "--within",
            metavar="UNIT",
            help="只导出该单位及其下级：12位区划代码，或从最上级单位开始的路径，如“临江市/东湖区”",
        )
        add_as_option(parser, "只导出该用户可见的数据（默认导出全部）")

    def handle(self, *args: Any, **options: Any) -> None:
        fmt = output_format(options["format"], options["output"])
        actor = actor_for(options["username"])
        within = self._within(options["within"], actor)
        output = Path(
            options["output"] or export_filename(options["kind"], fmt, timezone.localdate())
        )
        queryset = export_queryset(options["kind"], actor, within=within)
        with output.open("wb") as out:
            count = registry_export(kind=options["kind"], queryset=queryset, fmt=fmt, out=out)
        self.stdout.write(self.style.SUCCESS(f"已导出 {count} 行到 {output}。"))

    def _within(self, reference: str | None, actor: Any) -> Any:
        if not reference:
            return None
        try:
            unit = UnitResolver().resolve(reference)
            if actor is not None:
                unit_get(actor, unit.pk)
        except (UnitNotFound, Http404) as error:
            raise CommandError(f"单位“{reference}”不存在或不在该用户的范围内。") from error
        except CellError as error:
            raise CommandError(error.reason) from error
        return unit
