"""The index formulas against hand-checked numbers: pure functions, no database.

Every expected value is worked out here from the published expression, step by step, with the
natural logarithms written as literals (computed separately as math.log(x) to 10 decimals), so a
change to a formula's code cannot also change what the test expects.
"""

import math
import re

import pytest

from mediamatrix.engines.indices import (
    ENGINE_VERSION,
    Formula,
    FormulaError,
    formulas,
    get,
    input_hash,
    register,
)
from mediamatrix.engines.indices import formula as formula_module

# ln(x) to 10 decimals, for every x + 1 the vectors below need.
LN = {
    6: 1.7917594692,
    11: 2.3978952728,
    21: 3.0445224377,
    31: 3.4339872045,
    41: 3.7135720667,
    46: 3.8286413965,
    51: 3.9318256327,
    61: 4.1108738642,
    91: 4.5108595065,
    101: 4.6151205168,
    121: 4.7957905456,
    151: 5.0172798368,
    201: 5.3033049081,
    251: 5.5254529391,
    301: 5.7071102647,
    501: 6.2166061011,
    601: 6.3985949345,
    801: 6.6858609471,
    1001: 6.9087547793,
    2001: 7.6014023346,
    4001: 8.2942996089,
    5001: 8.5173931714,
    10001: 9.2104403670,
}


def close(expected: float):
    # The literals carry 10 decimals; squared and scaled, that is still far inside 1e-7.
    return pytest.approx(expected, abs=1e-7)


ALL_NAMES = [
    "aci",
    "bci",
    "bvci",
    "composite",
    "svci",
    "wci-v11",
    "wci-v12",
    "wci-v13",
    "wci-v14.2",
    "wci-v2",
]


def test_the_registry_names_every_built_in_formula_with_its_version():
    listed = {f.name: f.version for f in formulas()}
    assert sorted(listed) == ALL_NAMES
    assert listed["wci-v2"] == "2" and listed["wci-v14.2"] == "14.2" and listed["bvci"] == "2.0"
    assert [f.name for f in formulas()] == sorted(listed)  # a stable order for lists and docs
    assert all(f.title and f.expression and f.source for f in formulas())


# The published WCI V2 check ------------------------------------------------------------------


def test_wci_v2_published_check_to_seven_decimals():
    # R = 10000, R/n = 100 (n = 100), Rmax = 300, Z = 4000, Z/n = 40, Zmax = 60 → 411.4875079
    result = get("wci-v2").evaluate({"R": 10000, "n": 100, "Rmax": 300, "Z": 4000, "Zmax": 60})
    assert f"{result.value:.7f}" == "411.4875079"
    # 阅读 = 0.40·ln(10001) + 0.45·ln(101) + 0.15·ln(301)
    reads = 0.40 * LN[10001] + 0.45 * LN[101] + 0.15 * LN[301]
    # 点赞 = 0.40·ln(4001) + 0.45·ln(41) + 0.15·ln(61)
    likes = 0.40 * LN[4001] + 0.45 * LN[41] + 0.15 * LN[61]
    assert result.terms["reads"] == close(reads)  # 6.6170469…
    assert result.terms["likes"] == close(likes)  # 5.6054583…
    assert result.value == close((0.8 * reads + 0.2 * likes) ** 2 * 10)
    assert (result.formula, result.version) == ("wci-v2", "2")


# One hand-checked vector per formula -----------------------------------------------------------


@pytest.mark.parametrize("name", ["wci-v11", "wci-v12"])
def test_wci_v11_and_v12(name):
    inputs = {"R": 5000, "n": 20, "d": 10, "Rmax": 800, "Z": 100, "Zmax": 20}
    # R/d = 500, R/n = 250; 10Z/d = 100, 10Z/n = 50, 10Zmax = 200
    reads = 0.40 * LN[501] + 0.45 * LN[251] + 0.15 * LN[801]
    likes = 0.40 * LN[101] + 0.45 * LN[51] + 0.15 * LN[201]
    result = get(name).evaluate(inputs)
    assert result.terms["reads"] == close(reads)
    assert result.terms["likes"] == close(likes)
    assert result.value == close((0.8 * reads + 0.2 * likes) ** 2 * 10)


def test_wci_v13():
    inputs = {"R": 3000, "n": 30, "d": 10, "Rmax": 500, "Z": 60, "Zmax": 10, "Rt": 1200, "Zt": 30}
    # f(r, z) = 0.85·ln(r+1) + 0.15·ln(10z+1)
    o = 0.85 * LN[301] + 0.15 * LN[61]  # f(R/d = 300, Z/d = 6)
    a = 0.85 * LN[101] + 0.15 * LN[21]  # f(R/n = 100, Z/n = 2)
    h = 0.85 * LN[121] + 0.15 * LN[31]  # f(Rt/d = 120, Zt/d = 3)
    p = 0.85 * LN[501] + 0.15 * LN[101]  # f(Rmax = 500, Zmax = 10)
    result = get("wci-v13").evaluate(inputs)
    assert dict(result.terms) == {"O": close(o), "A": close(a), "H": close(h), "P": close(p)}
    assert result.value == close((0.3 * o + 0.3 * a + 0.3 * h + 0.1 * p) ** 2 * 10)


V14_INPUTS = {
    "R": 6000, "n": 20, "d": 30, "Rmax": 1000, "Z": 90, "Zmax": 9,
    "L": 300, "Lmax": 30, "Rt": 3000, "Zt": 60, "Lt": 150,
}  # fmt: skip
# f(r, z, l) = 0.85·ln(r+1) + 0.09·ln(10z+1) + 0.06·ln(10l+1)
V14_O = 0.85 * LN[201] + 0.09 * LN[31] + 0.06 * LN[101]  # R/d = 200, Z/d = 3, L/d = 10
V14_A = 0.85 * LN[301] + 0.09 * LN[46] + 0.06 * LN[151]  # R/n = 300, Z/n = 4.5, L/n = 15
V14_H = 0.85 * LN[101] + 0.09 * LN[21] + 0.06 * LN[51]  # Rt/d = 100, Zt/d = 2, Lt/d = 5
V14_P = 0.85 * LN[1001] + 0.09 * LN[91] + 0.06 * LN[301]  # Rmax, Zmax = 9, Lmax = 30
V14_BASE = 0.6 * V14_O + 0.2 * V14_A + 0.1 * V14_H + 0.1 * V14_P


@pytest.mark.parametrize(("params", "k"), [(None, 10), ({"K": 10}, 10), ({"K": 12}, 12)])
def test_wci_v14_2_with_k_10_and_12(params, k):
    result = get("wci-v14.2").evaluate(V14_INPUTS, params)
    terms = {"O": close(V14_O), "A": close(V14_A), "H": close(V14_H), "P": close(V14_P)}
    assert dict(result.terms) == terms
    assert result.value == close(V14_BASE**2 * k)
    assert result.params["K"] == k


def test_v14_2_with_k_12_is_six_fifths_of_k_10():
    ten = get("wci-v14.2").evaluate(V14_INPUTS).value
    twelve = get("wci-v14.2").evaluate(V14_INPUTS, {"K": 12}).value
    assert twelve == close(ten * 1.2)


def test_bci():
    result = get("bci").evaluate({"posts": 50, "reposts": 200, "comments": 100, "likes": 1000})
    w1 = LN[51]
    w2 = 0.4 * LN[201] + 0.4 * LN[101] + 0.2 * LN[1001]
    assert dict(result.terms) == {"W1": close(w1), "W2": close(w2)}
    assert result.value == close((0.2 * w1 + 0.8 * w2) * 160)


def test_bvci():
    inputs = {"n": 10, "d": 30, "P": 30000, "C": 300, "F": 5000, "Fg": 100}
    terms = {
        "publish": 0.15 * LN[11],
        "plays": 0.25 * LN[1001],  # P/d = 1000
        "interaction": 0.30 * LN[11],  # C/d = 10
        "coverage": 0.18 * LN[5001] + 0.12 * LN[101],
    }
    result = get("bvci").evaluate(inputs)
    assert dict(result.terms) == {key: close(value) for key, value in terms.items()}
    assert result.value == close(sum(terms.values()) * 100)


def test_svci():
    inputs = {"n": 20, "d": 10, "P": 10000, "Z": 500, "C": 100, "S": 50, "F": 2000, "Fg": 0}
    terms = {
        "publish": 0.15 * LN[21],
        "plays": 0.25 * LN[1001],  # P/d = 1000
        "interaction": 0.15 * LN[51] + 0.10 * LN[11] + 0.05 * LN[6],  # Z/d 50, C/d 10, S/d 5
        "coverage": 0.18 * LN[2001] + 0.12 * 0.0,  # ln(0 + 1) = 0
    }
    result = get("svci").evaluate(inputs)
    assert dict(result.terms) == {key: close(value) for key, value in terms.items()}
    assert result.value == close(sum(terms.values()) * 100)


def test_aci():
    result = get("aci").evaluate({"R": 2000, "n": 10, "d": 20, "Rmax": 600, "E": 40, "Emax": 10})
    reads = 0.40 * LN[101] + 0.45 * LN[201] + 0.15 * LN[601]  # R/d 100, R/n 200, Rmax 600
    interaction = 0.40 * LN[21] + 0.45 * LN[41] + 0.15 * LN[101]  # 10E/d 20, 10E/n 40, 10Emax
    activity = LN[6]  # 10·n/d = 5
    assert dict(result.terms) == {
        "reads": close(reads),
        "interaction": close(interaction),
        "activity": close(activity),
    }
    assert result.value == close((0.7 * reads + 0.2 * interaction + 0.1 * activity) ** 2 * 10)


def test_composite_with_the_default_weights():
    # Weights 30 WeChat, 25 Weibo, 25 Douyin, 20 Channels (others 0); Channels absent counts 0.
    result = get("composite").evaluate({"wechat_oa": 80, "weibo": 60, "douyin": 40, "kuaishou": 90})
    assert result.value == close((30 * 80 + 25 * 60 + 25 * 40 + 20 * 0) / 100)  # 49.0
    assert dict(result.terms) == {
        "wechat_oa": close(24.0),
        "weibo": close(15.0),
        "douyin": close(10.0),
        "wechat_channels": close(0.0),
    }  # Kuaishou weighs 0 by default: it is not a term


def test_composite_with_own_weights_and_with_none():
    composite = get("composite")
    own = composite.evaluate({"wechat_oa": 80, "weibo": 60}, {"douyin": 0, "wechat_channels": 0})
    assert own.value == close((30 * 80 + 25 * 60) / 55)  # 70.909…
    zero = dict.fromkeys(composite.params, 0.0)
    nothing = composite.evaluate({"wechat_oa": 80}, zero)
    assert nothing.value == 0.0 and dict(nothing.terms) == {}
    assert composite.evaluate({}).value == 0.0


# Edge cases ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ALL_NAMES)
def test_no_posts_and_no_days_give_finite_numbers(name):
    formula = get(name)
    zeros = formula.evaluate(dict.fromkeys(formula.input_keys(), 0))
    assert zeros.value == 0.0
    assert all(math.isfinite(term) for term in zeros.terms.values())
    # Totals without posts or days (inconsistent data) still divide safely: per-x terms are 0.
    some = {key: 0 if key in ("n", "d") else 100 for key in formula.input_keys()}
    result = formula.evaluate(some)
    assert math.isfinite(result.value) and result.value >= 0


def test_ratios_over_zero_posts_or_days_count_zero():
    # V12 with n = d = 0: only Rmax and Zmax remain: 0.15·ln(301) and 0.15·ln(10·60 + 1)
    result = get("wci-v12").evaluate({"R": 100, "n": 0, "d": 0, "Rmax": 300, "Z": 9, "Zmax": 60})
    assert result.terms["reads"] == close(0.15 * LN[301])
    assert result.terms["likes"] == close(0.15 * LN[601])


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"n": 1, "Rmax": 1, "Z": 1, "Zmax": 1}, "input 'R' is missing"),
        ({"R": None, "n": 1, "Rmax": 1, "Z": 1, "Zmax": 1}, "input 'R' is missing"),
        ({"R": -1, "n": 1, "Rmax": 1, "Z": 1, "Zmax": 1}, "input 'R' must be a number ≥ 0"),
        ({"R": 1, "n": "many", "Rmax": 1, "Z": 1, "Zmax": 1}, "input 'n' is not a number"),
        ({"R": 1, "n": [1], "Rmax": 1, "Z": 1, "Zmax": 1}, "input 'n' is not a number"),
        ({"R": 1, "n": 1, "Rmax": math.nan, "Z": 1, "Zmax": 1}, "input 'Rmax' must be"),
        ({"R": 1, "n": 1, "Rmax": 1, "Z": math.inf, "Zmax": 1}, "input 'Z' must be"),
    ],
)
def test_bad_inputs_raise_formula_error_naming_the_key(inputs, message):
    with pytest.raises(FormulaError, match=re.escape(message)):
        get("wci-v2").evaluate(inputs)


def test_numbers_as_strings_are_read_and_extra_keys_ignored():
    result = get("bci").evaluate(
        {"posts": "50", "reposts": 200.0, "comments": 100, "likes": 1000, "plays": 7}
    )
    assert dict(result.inputs) == {
        "posts": 50.0,
        "reposts": 200.0,
        "comments": 100.0,
        "likes": 1000.0,
    }


def test_optional_inputs_default_to_zero():
    bvci = get("bvci")
    without = bvci.evaluate({"n": 10, "d": 30, "P": 30000, "C": 300})
    with_zeros = bvci.evaluate({"n": 10, "d": 30, "P": 30000, "C": 300, "F": 0, "Fg": None})
    assert without.value == with_zeros.value
    assert without.inputs["F"] == 0.0 and without.inputs["Fg"] == 0.0
    assert without.input_hash == with_zeros.input_hash
    with pytest.raises(FormulaError, match="input 'P' is missing"):
        bvci.evaluate({"n": 10, "d": 30, "C": 300})  # P is not optional


def test_unknown_parameters_are_rejected():
    with pytest.raises(FormulaError, match="unknown parameter"):
        get("wci-v14.2").evaluate(V14_INPUTS, {"K": 12, "X": 1})
    with pytest.raises(FormulaError, match=r"wci-v2: unknown parameter\(s\) K"):
        get("wci-v2").evaluate({"R": 1, "n": 1, "Rmax": 1, "Z": 1, "Zmax": 1}, {"K": 12})


def test_unknown_formula_and_double_registration():
    with pytest.raises(
        FormulaError, match=r"unknown formula 'wci-v99'; known: aci, bci, .*wci-v14\.2"
    ):
        get("wci-v99")
    existing = get("bci")
    with pytest.raises(FormulaError, match="already registered"):
        register(existing)
    assert get("bci") is existing


def test_a_deployment_registers_its_own_formula(monkeypatch):
    # A copy of the registry, so the formula does not outlive this test.
    monkeypatch.setattr(formula_module, "_registry", dict(formula_module._registry))
    own = Formula(
        name="test-double-reads",
        version="1",
        family="test",
        title="测试",
        title_en="test",
        expression="2R",
        inputs=get("bci").inputs[:1],
        compute=lambda x, _: (2 * x["posts"], {}),
    )
    assert register(own) is own
    assert get("test-double-reads").evaluate({"posts": 4}).value == 8.0


# The input hash ------------------------------------------------------------------------------

V2 = {"R": 10000, "n": 100, "Rmax": 300, "Z": 4000, "Zmax": 60}


def test_input_hash_is_stable():
    first = get("wci-v2").evaluate(V2)
    reordered = get("wci-v2").evaluate(dict(reversed(list(V2.items()))))
    as_floats = get("wci-v2").evaluate({key: float(value) for key, value in V2.items()})
    assert first.input_hash == reordered.input_hash == as_floats.input_hash
    assert first.input_hash == input_hash("wci-v2", "2", V2, {})
    assert len(first.input_hash) == 64 and ENGINE_VERSION == "1"


@pytest.mark.parametrize("key", sorted(V2))
def test_input_hash_changes_with_any_input(key):
    base = get("wci-v2").evaluate(V2).input_hash
    assert get("wci-v2").evaluate({**V2, key: V2[key] + 1}).input_hash != base


def test_input_hash_changes_with_params_formula_and_version():
    v14 = get("wci-v14.2")
    assert v14.evaluate(V14_INPUTS).input_hash != v14.evaluate(V14_INPUTS, {"K": 12}).input_hash
    same = {key: V14_INPUTS[key] for key in ("R", "n", "d", "Rmax", "Z", "Zmax")}
    v11, v12 = get("wci-v11").evaluate(same), get("wci-v12").evaluate(same)
    assert v11.value == v12.value and v11.input_hash != v12.input_hash
    inputs, params = dict(v12.inputs), dict(v12.params)
    assert input_hash("wci-v12", "12", inputs, params) == v12.input_hash
    assert input_hash("wci-v12", "12.1", inputs, params) != v12.input_hash
