"""`mediamatrix index NAME`: one formula's value from a JSON object of inputs; no database.

    echo '{"R": 10000, "n": 100, "Rmax": 300, "Z": 4000, "Zmax": 60}' | mediamatrix index wci-v2
    411.4875079

The value is printed with 7 decimals; `--json` prints every term, the inputs as the formula read
them, the parameters and the input hash. Bad input exits with status 2 and a message on stderr.
"""

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mediamatrix.engines.indices import Formula, FormulaError, formulas, get

USAGE_ERROR = 2  # as argparse: the command was asked the wrong thing
PLACES = 7


def _fail(message: str) -> CommandError:
    return CommandError(message, returncode=USAGE_ERROR)


def _param(text: str) -> tuple[str, float]:
    name, sep, value = text.partition("=")
    try:
        if not sep or not name.strip():
            raise ValueError
        return name.strip(), float(value)
    except ValueError:
        raise _fail(f"--param 应写成 名称=数值，例如 K=12（收到：{text}）") from None


class Command(BaseCommand):
    help = (
        "计算单个指数：从标准输入读取 JSON 对象形式的输入（键名如 R、n、d、Rmax、Z、Zmax、L、Lmax、"
        "Rt、Zt、Lt，见 --list 与 docs），输出指数值，保留 7 位小数（如 411.4875079）。"
        "--json 输出全部中间项、输入、参数和输入指纹；输入有误时退出码为 2，原因写到标准错误。"
        "不需要数据库。"
    )
    requires_system_checks: list[str] = []  # pure arithmetic: nothing to check, no database

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("name", nargs="?", help="指数名称，如 wci-v2、wci-v14.2、bci")
        parser.add_argument("--list", action="store_true", help="列出全部公式及其版本")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出值、中间项和输入指纹")
        parser.add_argument(
            "--param",
            action="append",
            default=[],
            metavar="名称=数值",
            help="公式参数，可重复，如 --param K=12",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            self._list()
            return
        if not options["name"]:
            raise _fail("请给出指数名称，例如 mediamatrix index wci-v2；--list 列出全部公式。")
        try:
            formula = get(options["name"])
        except FormulaError as error:
            raise _fail(f"未知的指数 {options['name']}（{error}）") from None
        params = dict(_param(text) for text in options["param"])
        inputs = self._read_inputs(formula)
        try:
            result = formula.evaluate(inputs, params)
        except FormulaError as error:
            needs = "、".join(formula.input_keys())
            raise _fail(f"输入有误：{error}。{formula.name} 的输入：{needs}") from None
        if not options["json"]:
            self.stdout.write(f"{result.value:.{PLACES}f}")
            return
        payload = {
            "formula": result.formula,
            "version": result.version,
            "value": result.value,
            "terms": dict(result.terms),
            "inputs": dict(result.inputs),
            "params": dict(result.params),
            "input_hash": result.input_hash,
        }
        self.stdout.write(json.dumps(payload, ensure_ascii=False))

    def _list(self) -> None:
        rows = [(f.name, f.version, f.title, f.source) for f in formulas()]
        width = max(len(name) for name, *_ in rows)
        for name, version, title, source in rows:
            self.stdout.write(f"{name.ljust(width)}  V{version.ljust(5)}  {title}  （{source}）")

    def _read_inputs(self, formula: Formula) -> dict[str, Any]:
        if sys.stdin.isatty():
            raise _fail(
                f'请从标准输入提供 JSON 对象，例如：echo \'{{"R": 10000, "n": 100}}\' | '
                f"mediamatrix index {formula.name}（输入：{'、'.join(formula.input_keys())}）"
            )
        try:
            inputs = json.loads(sys.stdin.read())
        except json.JSONDecodeError as error:
            raise _fail(f"标准输入不是合法的 JSON：{error}") from None
        if not isinstance(inputs, dict):
            raise _fail('标准输入应是一个 JSON 对象，如 {"R": 10000, "n": 100}。')
        for key, value in inputs.items():
            if isinstance(value, bool):  # JSON true/false would read as 1/0
                raise _fail(f"输入有误：{formula.name}: input {key!r} is not a number")
        return inputs
