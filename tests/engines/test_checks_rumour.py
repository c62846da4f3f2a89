"""The rumour check (findings and suggestions from the debunk library) and `check --debunks`."""

import json
import os
import subprocess
from datetime import date
from pathlib import Path

import pytest

from mediamatrix.engines.checks import CheckContext, Document, run_checks
from mediamatrix.engines.checks.builtin import rumour
from mediamatrix.engines.checks.rumours import Debunk, DebunkLibrary, read_debunk_file

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "docs" / "checks" / "debunks-sample.csv"
SCRIPT = ROOT / ".venv" / "bin" / "mediamatrix"
LIBRARY = DebunkLibrary(read_debunk_file(SAMPLE.name, SAMPLE.read_bytes()).debunks)
CONTEXT = CheckContext(resources={"debunks": LIBRARY})
INTRO = "本报讯 近日，市疾控中心工作人员走进社区，为居民讲解秋冬季常见传染病的防护知识。"
RUMOUR = "有居民说喝高度白酒可以预防病毒感染，家里有酒的每天喝两杯就行。"
RUMOUR_TRAD = "有居民說喝高度白酒可以預防病毒感染，家裡有酒的每天喝兩杯就行。"
OUTRO = "工作人员提醒，出现发热等症状应及时就医，并做好个人防护。"


def _check(body, title="", context=CONTEXT):
    return run_checks(Document(title=title, body=body), context, only=["rumour"]).findings


def test_without_a_library_the_check_finds_nothing():
    assert _check(RUMOUR, context=CheckContext()) == ()
    assert _check(RUMOUR, context=CheckContext(resources={"debunks": DebunkLibrary([])})) == ()


def test_a_close_match_is_a_finding_with_the_debunk_as_evidence():
    body = INTRO + RUMOUR + OUTRO
    [finding] = _check(body)
    assert (finding.rule, finding.category, finding.field) == ("rumour.known", "rumour", "body")
    assert finding.severity in ("medium", "high")
    assert finding.score >= rumour.HIGH
    assert finding.excerpt == RUMOUR  # the best-matching sentence
    assert body[finding.start : finding.end] == RUMOUR
    evidence = finding.evidence
    assert evidence["debunk_id"] == "sample-liquor"
    assert evidence["claim"] == "喝高度白酒可以预防病毒感染"
    assert (evidence["source"], evidence["date"]) == ("卫生健康部门", "2024-01-15")
    assert evidence["url"].startswith("https://")
    assert evidence["score"] == pytest.approx(finding.score, abs=1e-4)
    assert "喝高度白酒可以预防病毒感染" in finding.message
    assert finding.message_en.startswith("Closely matches a debunked claim")


def test_traditional_text_gets_the_same_finding_on_its_own_characters():
    body = INTRO + RUMOUR_TRAD + OUTRO
    [finding] = _check(body)
    [simplified] = _check(INTRO + RUMOUR + OUTRO)
    assert finding.rule == "rumour.known"
    assert finding.score == pytest.approx(simplified.score)
    assert finding.excerpt == RUMOUR_TRAD


def test_a_rumour_in_the_title_is_pointed_at_in_the_title():
    title = "紧急扩散！喝高度白酒可以预防病毒感染"
    [finding] = _check("转给家里人看看，大家互相提醒一下，注意身体。", title=title)
    assert (finding.field, finding.excerpt) == ("title", "喝高度白酒可以预防病毒感染")


def test_between_the_thresholds_only_a_suggestion():
    # Talks about the topic (and agrees with the debunk): worth a look, not a finding.
    body = "隔夜菜到底能不能吃？专家说冷藏得当、热透再吃问题不大。"
    [match] = LIBRARY.match(body)
    assert rumour.LOW <= match.score < rumour.HIGH
    [finding] = _check(body)
    assert (finding.rule, finding.severity) == ("rumour.similar", "info")
    assert finding.evidence["debunk_id"] == "sample-leftovers"
    assert finding.message.startswith("可能涉及已辟谣的说法")


def test_short_texts_only_ever_suggest():
    short = "喝白酒能预防病毒感染？"
    [match] = LIBRARY.match(short)
    assert match.score >= rumour.HIGH  # close enough, but too short to be sure
    [finding] = _check(short)
    assert (finding.rule, finding.severity) == ("rumour.similar", "info")


def test_unrelated_text_raises_nothing():
    assert _check(INTRO + OUTRO) == ()


def test_thresholds_decide_between_finding_and_suggestion(monkeypatch):
    body = INTRO + RUMOUR + OUTRO
    monkeypatch.setattr(rumour, "HIGH", 0.99)
    [finding] = _check(body)
    assert finding.severity == "info"
    monkeypatch.setattr(rumour, "LOW", 0.99)
    assert _check(body) == ()


def test_several_debunks_each_get_their_own_finding():
    library = DebunkLibrary(
        [
            Debunk("a", claim="喝高度白酒可以预防病毒感染", date=date(2024, 1, 1)),
            Debunk("b", claim="用白醋熏房间可以杀灭病毒"),
        ]
    )
    body = "群里说喝高度白酒可以预防病毒感染。还有人说用白醋熏房间可以杀灭病毒。"
    found = _check(body, context=CheckContext(resources={"debunks": library}))
    assert sorted(f.evidence["debunk_id"] for f in found) == ["a", "b"]
    assert {f.excerpt for f in found} == {
        "群里说喝高度白酒可以预防病毒感染。",
        "还有人说用白醋熏房间可以杀灭病毒。",
    }


# The command -----------------------------------------------------------------------------------


@pytest.fixture
def check(tmp_path):
    # A database URL nothing listens on: the command must not need one.
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/nowhere",
        "MEDIAMATRIX_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
    }

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(SCRIPT), "check", *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=120,
        )

    return run


def test_check_with_debunks_reports_rumours_as_json(check, tmp_path):
    text = f"{INTRO}{RUMOUR_TRAD}{OUTRO}"
    done = check("--debunks", str(SAMPLE), "-", "--json", "--only", "rumour", stdin=text)
    assert done.returncode == 0, done.stderr
    [finding] = json.loads(done.stdout)["findings"]
    assert finding["rule"] == "rumour.known"
    assert text[finding["start"] : finding["end"]] == finding["excerpt"] == RUMOUR_TRAD
    # The same library as ClaimReview JSON, given alongside an empty CSV: the same result.
    review = {
        "@type": "ClaimReview",
        "claimReviewed": "喝高度白酒可以预防病毒感染",
        "reviewBody": "饮酒不能预防病毒感染。",
        "author": {"name": "卫生健康部门"},
    }
    (tmp_path / "reviews.json").write_text(json.dumps([review], ensure_ascii=False), "utf-8")
    (tmp_path / "empty.csv").write_text("谣言,辟谣内容\n", "utf-8")
    again = check("--debunks", "reviews.json", "--debunks", "empty.csv", "-", "--json", stdin=text)
    assert again.returncode == 0, again.stderr
    rules = [f["rule"] for f in json.loads(again.stdout)["findings"]]
    assert rules.count("rumour.known") == 1


def test_without_debunks_no_rumour_findings_and_bad_files_stop_the_command(check, tmp_path):
    text = f"{INTRO}{RUMOUR}{OUTRO}"
    plain = check("-", "--json", "--only", "rumour", stdin=text)
    assert plain.returncode == 0, plain.stderr
    assert json.loads(plain.stdout)["findings"] == []
    (tmp_path / "bad.csv").write_text("谣言,辟谣内容,日期\n甲,乙,明天\n", "utf-8")
    bad = check("--debunks", "bad.csv", "-", stdin=text)
    assert bad.returncode == 2
    assert "bad.csv: 第2行 [日期]" in bad.stderr


def test_a_post_that_refutes_the_claim_only_gets_a_suggestion():
    refuting = "网传" + RUMOUR + "经核实，此说法不实，饮酒不能预防病毒感染。"
    [finding] = _check(refuting)
    assert (finding.rule, finding.severity) == ("rumour.refuting", "info")
    assert finding.message.startswith("本文在辟谣")
    # Traditional cues count too (經核實 is folded to simplified before matching).
    [traditional] = _check("網傳" + RUMOUR_TRAD + "經核實，此說法不實。")
    assert traditional.rule == "rumour.refuting"


def test_a_negated_cue_does_not_make_a_rumour_a_refutation():
    [finding] = _check(INTRO + RUMOUR + "这不是谣言，转给家人！" + OUTRO)
    assert finding.rule == "rumour.known" and finding.severity in ("medium", "high")
