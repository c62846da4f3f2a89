"""`mediamatrix check FILE…|-`: run the content checks on files, without a database.

Text, HTML or .docx; a text file whose first line is followed by a blank line is read as a title
and a body. Prints the findings with their spans highlighted, or with `--json` one JSON object per
input on its own line: {"input", "findings": [{"rule", "category", "severity", "score", "start",
"end", "excerpt", "message"}]}, where start/end index the input as given (stable: scripts use it).
"""

import json
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from mediamatrix.engines.checks import SEVERITIES, CheckContext, Finding, checks, run_checks
from mediamatrix.engines.checks.inputs import CheckInput, read_input
from mediamatrix.engines.checks.rumours import Debunk, DebunkLibrary, read_debunk_file

JSON_KEYS = ("rule", "category", "severity", "score", "start", "end", "excerpt", "message")
MARK = {"high": "\033[1;31m", "medium": "\033[31m", "low": "\033[33m", "info": "\033[36m"}
RESET = "\033[0m"


class Command(BaseCommand):
    help = "检查文本、HTML 或 Word 文件（无需数据库）：标题党、低俗、错别字与表述、数字、标点、来源、谣言"
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("files", nargs="*", help="文件路径；- 表示标准输入")
        parser.add_argument("--json", action="store_true", help="每个输入输出一行 JSON")
        parser.add_argument(
            "--only", default="", help="只运行这些检查（逗号分隔，例如 clickbait,typo）"
        )
        parser.add_argument(
            "--lexicon-dir",
            action="append",
            default=[],
            help="补充词表所在目录（可重复；同名文件的条目追加到内置词表）",
        )
        parser.add_argument(
            "--debunks",
            action="append",
            default=[],
            metavar="FILE",
            help="辟谣库文件（CSV 或 ClaimReview JSON，可重复）：与其中的谣言比对",
        )
        parser.add_argument(
            "--fail-on",
            choices=SEVERITIES,
            default=None,
            help="有该级别或更高级别的问题时以状态 1 退出",
        )
        parser.add_argument("--list", action="store_true", help="列出全部检查及其版本")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for check in checks():
                self.stdout.write(f"{check.name}\t{check.version}\t{check.title}")
            return
        if not options["files"]:
            raise CommandError("请给出要检查的文件，或用 - 读取标准输入", returncode=2)
        resources = {"debunks": _debunks(options["debunks"])} if options["debunks"] else {}
        context = CheckContext(
            extra_dirs=[*settings.MEDIAMATRIX_CHECK_LEXICON_DIRS, *options["lexicon_dir"]],
            resources=resources,
        )
        only = [n.strip() for n in options["only"].split(",") if n.strip()] or None
        known = {check.name for check in checks()}
        if only and set(only) - known:
            unknown = ", ".join(sorted(set(only) - known))
            raise CommandError(f"没有这些检查 (unknown checks): {unknown}", returncode=2)
        worst = -1
        for name in options["files"]:
            item = read_input(name, self._read(name))
            report = run_checks(item.document, context, only=only)
            findings = [item.place(f) for f in report.findings]
            for finding in findings:
                worst = max(worst, SEVERITIES.index(finding.severity))
            if options["json"]:
                self.stdout.write(json.dumps(_as_json(name, findings), ensure_ascii=False))
            else:
                self._print(item, findings)
        threshold = options["fail_on"]
        if threshold is not None and worst >= SEVERITIES.index(threshold):
            sys.exit(1)

    def _read(self, name: str) -> bytes:
        if name == "-":
            return sys.stdin.buffer.read()
        try:
            return Path(name).read_bytes()
        except OSError as error:
            raise CommandError(f"无法读取 {name}: {error.strerror}", returncode=2) from error

    def _print(self, item: CheckInput, findings: list[Finding]) -> None:
        colour = self.stdout.isatty()
        self.stdout.write(f"== {item.name}: {len(findings)} 处问题")
        for f in findings:
            line = item.text.count("\n", 0, f.start) + 1
            column = f.start - (item.text.rfind("\n", 0, f.start) + 1) + 1
            left = item.text[max(0, f.start - 12) : f.start].replace("\n", " ")
            right = item.text[f.end : f.end + 12].replace("\n", " ")
            marked = f"{MARK[f.severity]}{f.excerpt}{RESET}" if colour else f"【{f.excerpt}】"
            hint = f" → {f.suggestion}" if f.suggestion else ""
            self.stdout.write(
                f"  {line}:{column} [{f.severity}] {f.category} {f.rule}: {f.message}{hint}\n"
                f"      …{left}{marked}{right}…"
            )


def _debunks(paths: list[str]) -> DebunkLibrary:
    """The debunk library from the files given; any bad row stops the command, listed."""
    debunks: list[Debunk] = []
    problems: list[str] = []
    for path in paths:
        try:
            read = read_debunk_file(path, Path(path).read_bytes())
        except OSError as error:
            raise CommandError(f"无法读取 {path}: {error.strerror}", returncode=2) from error
        debunks.extend(read.debunks)
        problems.extend(f"{path}: {error}" for error in read.errors)
    if problems:
        raise CommandError("辟谣库文件有误：\n" + "\n".join(problems), returncode=2)
    return DebunkLibrary(debunks)


def _as_json(name: str, findings: list[Finding]) -> dict[str, Any]:
    return {
        "input": name,
        "findings": [{key: f.as_dict()[key] for key in JSON_KEYS} for f in findings],
    }
