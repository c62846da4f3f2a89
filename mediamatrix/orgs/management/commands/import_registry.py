"""`mediamatrix import-registry units|accounts|grid_groups FILE [--valid-rows] [--dry-run] [--as U]`."""

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from mediamatrix.orgs.management.commands._registry_options import actor_for, add_import_options
from mediamatrix.orgs.registry_io import (
    KINDS,
    ImportFileError,
    ImportMode,
    ImportResult,
    registry_import,
)


class Command(BaseCommand):
    help = (
        "从 Excel（.xlsx）或 CSV 文件（UTF-8 或 GBK 编码）批量导入单位、账号或网格群。"
        "默认全部行正确才导入，有错误时不写入任何数据并逐行报告；已登记的记录会更新而不会重复。"
        "有错误时退出码为 1。文件格式见 docs/registry-import.md。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "kind", choices=KINDS, help="导入内容：units 单位、accounts 账号、grid_groups 网格群"
        )
        add_import_options(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件 {path}。")
        actor = actor_for(options["username"])
        mode = ImportMode.VALID_ROWS if options["valid_rows"] else ImportMode.ALL_OR_NOTHING
        show = not options["no_progress"] and options["verbosity"] > 0
        bar: tqdm[Any] | None = None

        def progress(done: int, total: int | None) -> None:
            nonlocal bar
            if not show:
                return
            if bar is None:
                bar = tqdm(total=total, desc="导入", unit="行")
            bar.update(done - bar.n)

        try:
            with path.open("rb") as file:
                result = registry_import(
                    actor=actor,
                    kind=options["kind"],
                    file=file,
                    filename=path.name,
                    mode=mode,
                    dry_run=options["dry_run"],
                    progress=progress,
                )
        except ImportFileError as error:
            raise CommandError(error.message) from error
        except PermissionDenied as error:
            raise CommandError(str(error) or "没有导入权限。") from error
        finally:
            if bar is not None:
                bar.close()
        self._report(result)
        if result.errors:
            raise CommandError(
                f"有 {result.rejected} 行未通过检查，共 {len(result.errors)} 处错误。"
            )

    def _report(self, result: ImportResult) -> None:
        self.stdout.write(
            f"共 {result.rows} 行：新建 {result.created}，更新 {result.updated}，"
            f"未变 {result.unchanged}，有错误 {result.rejected}。"
        )
        if result.ignored_columns:
            self.stdout.write(f"未识别的列（已忽略）：{'、'.join(result.ignored_columns)}")
        for error in result.errors:
            value = f"（值：{error.value}）" if error.value else ""
            self.stdout.write(f"{error}{value}")
        if result.dry_run:
            self.stdout.write(self.style.WARNING("试运行：未写入任何数据。"))
        elif not result.committed:
            self.stdout.write(
                self.style.ERROR(
                    "有错误，未导入任何数据。修正后重新导入，或用 --valid-rows 只导入正确的行。"
                )
            )
        elif result.errors:
            self.stdout.write(self.style.WARNING(f"已导入 {result.written} 行，有错误的行未导入。"))
        else:
            self.stdout.write(self.style.SUCCESS(f"导入完成，写入 {result.written} 行。"))
