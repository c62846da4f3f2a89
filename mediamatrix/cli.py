"""The `mediamatrix` command: the platform's own commands first, Django's underneath."""

import os
import sys

COMMANDS: list[tuple[str, str]] = [
    ("demo", "一键演示：迁移数据库、生成演示城市（含近 90 天稿件）、启动网站和后台任务进程"),
    ("serve", "启动网站（gunicorn；PORT、WEB_CONCURRENCY 可配置）"),
    ("worker", "启动后台任务进程（任务队列 + 定时任务）"),
    ("migrate", "创建或升级数据库结构"),
    ("createadmin", "创建市级管理员账号"),
    ("generate-demo", "生成演示城市和稿件（--scale 10 省级规模；--days、--no-posts）"),
    ("import-registry", "从 Excel/CSV 导入单位、账号或网格群"),
    ("export-registry", "把单位、账号或网格群导出为 Excel/CSV"),
    ("registry-template", "下载单位/账号/网格群导入模板"),
    ("import-posts", "从 Excel/CSV 导入稿件和数据（含公众号后台导出）"),
    ("posts-template", "下载稿件导入模板"),
    (
        "check",
        "检查文本、HTML 或 Word 文件：标题党、低俗、错别字与表述、数字、标点、来源、谣言（--json）",
    ),
    ("import-debunks", "导入辟谣库：CSV 或 ClaimReview JSON（--valid-rows、--dry-run）"),
    ("create-token", "为接口客户端创建令牌"),
    ("index", "计算单个指数：从标准输入读取 JSON 输入并输出指数值（--list 列出全部公式）"),
]


def _setup_environment() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")


def _print_help() -> None:
    print("用法 usage: mediamatrix <命令 command> [选项 options]\n")
    print("命令 commands:")
    width = max(len(name) for name, _ in COMMANDS)
    for name, summary in COMMANDS:
        print(f"  {name.ljust(width)}  {summary}")
    print(
        "\n`mediamatrix <命令> --help` 查看命令的选项；`mediamatrix django help` 列出全部 Django 命令。"
    )


def django_main(argv: list[str]) -> None:
    _setup_environment()
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        _print_help()
        return
    if args[0] == "django":
        django_main(["mediamatrix", *args[1:]])
        return
    # Our commands are spelled with hyphens on the command line, underscores in Django.
    django_main(["mediamatrix", args[0].replace("-", "_"), *args[1:]])


if __name__ == "__main__":
    main()
