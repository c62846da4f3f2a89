"""`mediamatrix import-debunks FILE…`: add debunks from CSV (our layout) or ClaimReview JSON."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mediamatrix.review.services.debunks import debunks_import


class Command(BaseCommand):
    help = (
        "导入辟谣库：CSV（见 docs/checks/rumours.md）或 ClaimReview JSON；默认有错误行则全部不导入"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("files", nargs="+", help="CSV 或 JSON 文件")
        parser.add_argument("--valid-rows", action="store_true", help="只导入正确的行，报告错误行")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")

    def handle(self, *args: Any, **options: Any) -> None:
        failed = False
        for name in options["files"]:
            try:
                data = Path(name).read_bytes()
            except OSError as error:
                raise CommandError(f"无法读取 {name}: {error.strerror}", returncode=2) from error
            result = debunks_import(
                actor=None,
                name=Path(name).name,
                data=data,
                valid_rows=options["valid_rows"],
                dry_run=options["dry_run"],
            )
            for problem in result.errors:
                self.stderr.write(f"{name}: {problem}")
            verb = "将导入" if options["dry_run"] or not result.written else "已导入"
            if result.written or options["dry_run"]:
                self.stdout.write(
                    f"{name}: {verb} {result.created} 条，已存在 {result.duplicates} 条，"
                    f"错误 {len(result.errors)} 处"
                )
            else:
                self.stdout.write(
                    f"{name}: 有 {len(result.errors)} 处错误，未导入（--valid-rows 只导入正确的行）"
                )
            failed = failed or bool(result.errors)
        if failed:
            raise CommandError("部分行有错误（见上）", returncode=1)
