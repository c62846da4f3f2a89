"""`mediamatrix import-posts FILE [--account ID|PLATFORM:HANDLE] [--valid-rows] [--dry-run] [--as U]`."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from mediamatrix.ingestion.choices import ImportMode, ImportStatus
from mediamatrix.ingestion.models import ImportRun
from mediamatrix.ingestion.services.files import posts_import_file
from mediamatrix.orgs.management.commands._registry_options import actor_for, add_import_options
from mediamatrix.orgs.models import Account
from mediamatrix.orgs.registry_io.values import PLATFORM, CellError

PHASES = {"check": "检查", "write": "写入"}


def account_for(text: str | None) -> Account | None:
    """--account: an account id, or PLATFORM:HANDLE (`微信公众号:donghu_fabu`, `weibo:dh`)."""
    if not text:
        return None
    if text.isdigit():
        account = Account.objects.filter(pk=int(text)).first()
    else:
        platform, separator, handle = text.partition(":")
        if not separator or not handle:
            raise CommandError(
                "--account 应为账号ID，或“平台:平台账号”，如 微信公众号:donghu_fabu。"
            )
        try:
            value = PLATFORM(platform.strip())
        except CellError as error:
            raise CommandError(error.reason) from error
        account = Account.objects.filter(platform=value, handle=handle.strip()).first()
    if account is None:
        raise CommandError(f"没有账号 {text}。")
    return account


class Command(BaseCommand):
    help = (
        "从 Excel（.xlsx）或 CSV 文件（UTF-8 或 GBK 编码）导入稿件及其阅读、点赞等数据：稿件导入模板，"
        "或微信公众号后台“内容分析”导出的文件（用 --account 指明公众号）。默认全部行正确才导入；"
        "同一文件重复导入不会产生重复稿件。有错误时逐行报告，退出码为 1。见 docs/ingestion/files.md。"
    )

    def add_arguments(self, parser: Any) -> None:
        add_import_options(parser)
        parser.add_argument(
            "--account",
            metavar="ID|PLATFORM:HANDLE",
            help="文件中没有账号列时（如微信后台导出）稿件所属的账号",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件 {path}。")
        actor = actor_for(options["username"])
        account = account_for(options["account"])
        mode = ImportMode.VALID_ROWS if options["valid_rows"] else ImportMode.ALL_OR_NOTHING
        show = not options["no_progress"] and options["verbosity"] > 0
        bars: dict[str, tqdm[Any]] = {}

        def progress(phase: str, done: int, total: int | None) -> None:
            if not show:
                return
            bar = bars.get(phase)
            if bar is None:
                for other in bars.values():
                    other.close()
                bar = bars[phase] = tqdm(total=total, desc=PHASES[phase], unit="行")
            if total is not None and bar.total != total:
                bar.total = total
            bar.update(done - bar.n)

        try:
            run = posts_import_file(
                actor=actor,
                path=path,
                filename=path.name,
                mode=mode,
                dry_run=options["dry_run"],
                account=account,
                progress=progress,
            )
        finally:
            for bar in bars.values():
                bar.close()
        self._report(run)
        if run.error_count or run.status == ImportStatus.FAILED:
            raise CommandError(f"有 {run.rejected} 行未通过检查，共 {run.error_count} 处错误。")

    def _report(self, run: ImportRun) -> None:
        self.stdout.write(
            f"导入记录 #{run.pk}，共 {run.rows_total or 0} 行：新增 {run.created}，"
            f"更新 {run.updated}，未变 {run.unchanged}，有错误 {run.rejected}。"
        )
        if run.message:
            self.stdout.write(run.message)
        for error in run.errors:
            where = f"第{error['row']}行" if error["row"] is not None else "文件"
            column = f" [{error['field']}]" if error["field"] else ""
            value = f"（值：{error['value']}）" if error["value"] else ""
            self.stdout.write(f"{where}{column} {error['reason']}{value}")
        if run.error_count > len(run.errors):
            self.stdout.write(f"……另有 {run.error_count - len(run.errors)} 处错误未列出。")
        if run.status == ImportStatus.DRY_RUN:
            self.stdout.write(self.style.WARNING("试运行：未写入任何数据。"))
        elif run.status in (ImportStatus.REJECTED, ImportStatus.FAILED):
            self.stdout.write(
                self.style.ERROR(
                    "未导入任何数据。修正后重新导入，或用 --valid-rows 只导入正确的行。"
                )
            )
        elif run.status == ImportStatus.PARTIAL:
            self.stdout.write(self.style.WARNING("正确的行已导入，有错误的行未导入。"))
        else:
            self.stdout.write(self.style.SUCCESS("导入完成。"))
