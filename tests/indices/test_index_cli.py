"""`mediamatrix index`: the console script itself, in a subprocess, with no database to reach."""

import json
import os
import subprocess
from pathlib import Path

import pytest

from mediamatrix.cli import COMMANDS

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / ".venv" / "bin" / "mediamatrix"
V2_CHECK = {"R": 10000, "n": 100, "Rmax": 300, "Z": 4000, "Zmax": 60}


@pytest.fixture
def index(tmp_path):
    # A database URL nothing listens on: any query would fail the command.
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/nowhere",
        "MEDIAMATRIX_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
    }

    def run(*args: str, stdin: object = None) -> subprocess.CompletedProcess[str]:
        text = stdin if isinstance(stdin, str) or stdin is None else json.dumps(stdin)
        return subprocess.run(
            [str(SCRIPT), "index", *args],
            input=text if text is not None else "",
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=60,
        )

    return run


def test_the_published_wci_v2_check(index):
    done = index("wci-v2", stdin=V2_CHECK)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "411.4875079\n"


def test_json_output_carries_terms_inputs_params_and_hash(index):
    done = index("wci-v2", "--json", stdin=V2_CHECK)
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert list(answer) == [
        "formula",
        "version",
        "value",
        "terms",
        "inputs",
        "params",
        "input_hash",
    ]
    assert (answer["formula"], answer["version"]) == ("wci-v2", "2")
    assert round(answer["value"], 7) == 411.4875079
    assert set(answer["terms"]) == {"reads", "likes"}
    assert answer["inputs"] == {key: float(value) for key, value in V2_CHECK.items()}
    assert answer["params"] == {}
    assert len(answer["input_hash"]) == 64


def test_params_are_repeatable_and_change_the_value_and_hash(index):
    inputs = {
        "R": 6000, "n": 20, "d": 30, "Rmax": 1000, "Z": 90, "Zmax": 9,
        "L": 300, "Lmax": 30, "Rt": 3000, "Zt": 60, "Lt": 150,
    }  # fmt: skip
    ten = json.loads(index("wci-v14.2", "--json", stdin=inputs).stdout)
    twelve = json.loads(index("wci-v14.2", "--json", "--param", "K=12", stdin=inputs).stdout)
    assert ten["params"] == {"K": 10.0} and twelve["params"] == {"K": 12.0}
    assert twelve["value"] == pytest.approx(ten["value"] * 1.2)
    assert twelve["input_hash"] != ten["input_hash"]
    # The last --param for a name wins; others add to it (composite weights).
    weights = index(
        "composite", "--param", "douyin=0", "--param", "wechat_channels=0", "--param", "weibo=25",
        stdin={"wechat_oa": 80, "weibo": 60},
    )  # fmt: skip
    assert weights.returncode == 0, weights.stderr
    assert weights.stdout == f"{(30 * 80 + 25 * 60) / 55:.7f}\n"


def test_optional_inputs_may_be_left_out(index):
    done = index("bvci", stdin={"n": 0, "d": 30, "P": 0, "C": 0})
    assert (done.returncode, done.stdout) == (0, "0.0000000\n")


def test_list_names_every_formula_with_its_version(index):
    done = index("--list")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    names = [line.split()[0] for line in lines]
    for name in ("wci-v2", "wci-v11", "wci-v12", "wci-v13", "wci-v14.2", "bci", "bvci", "svci"):
        assert name in names
    assert names == sorted(names) and len(lines) >= 10
    v14 = lines[names.index("wci-v14.2")]
    assert "V14.2" in v14 and "微信传播指数 WCI V14.2" in v14 and "清博" in v14
    assert "V2.0" in lines[names.index("bvci")]


@pytest.mark.parametrize(
    ("args", "stdin", "says"),
    [
        (["wci-v2"], {"n": 100, "Rmax": 300, "Z": 4000, "Zmax": 60}, "input 'R' is missing"),
        (["wci-v2"], {**V2_CHECK, "Zmax": -1}, "input 'Zmax' must be a number ≥ 0"),
        (["wci-v2"], {**V2_CHECK, "n": "一百"}, "input 'n' is not a number"),
        (["wci-v2"], {**V2_CHECK, "n": True}, "input 'n' is not a number"),
        (["wci-v2"], "[1, 2]", "JSON 对象"),
        (["wci-v2"], "{R: 1}", "不是合法的 JSON"),
        (["wci-v2"], "", "不是合法的 JSON"),
        (["wci-v99"], V2_CHECK, "未知的指数 wci-v99"),
        (["wci-v2", "--param", "K=12"], V2_CHECK, "unknown parameter(s) K"),
        (["wci-v14.2", "--param", "K"], V2_CHECK, "--param 应写成 名称=数值"),
        (["wci-v14.2", "--param", "K=twelve"], V2_CHECK, "--param 应写成 名称=数值"),
        ([], V2_CHECK, "请给出指数名称"),
        (["wci-v2", "--bogus"], V2_CHECK, "unrecognized arguments: --bogus"),
    ],
)
def test_bad_input_exits_2_with_the_reason_on_stderr(index, args, stdin, says):
    done = index(*args, stdin=stdin)
    assert done.returncode == 2
    assert done.stdout == ""
    assert says in done.stderr


def test_a_missing_key_lists_the_formula_inputs(index):
    done = index("wci-v13", stdin={"R": 1})
    assert done.returncode == 2
    assert "input 'n' is missing" in done.stderr
    assert "R、n、d、Rmax、Z、Zmax、Rt、Zt" in done.stderr


def test_the_command_is_listed_in_the_help():
    assert "index" in dict(COMMANDS)
    done = subprocess.run(
        [str(SCRIPT), "--help"], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert "index" in done.stdout and "--list" in done.stdout
