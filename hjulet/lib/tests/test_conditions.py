import pytest

from hjulet.lib.conditions import ExpressionError, parse


@pytest.mark.parametrize(
    ("source", "answers", "expected"),
    [
        ("${a} = 'ja'", {"a": "ja"}, True),
        ("${a} = 'ja'", {"a": "nej"}, False),
        ("${a} = 'ja'", {}, False),
        ("${a} != ''", {}, False),
        ("${a} = ''", {}, True),
        ("${n} >= 18 and ${n} < 65", {"n": 30}, True),
        ("${n} >= 18 and ${n} < 65", {"n": 70}, False),
        ("${n} > 5", {}, False),
        ("${a} = 'ja' or ${b} = 'ja'", {"b": "ja"}, True),
        ("not(${a} = 'ja')", {"a": "ja"}, False),
        ("selected(${m}, 'kommun')", {"m": ["kommun", "region"]}, True),
        ("selected(${m}, 'akademi')", {"m": ["kommun"]}, False),
        ("count-selected(${m}) >= 2", {"m": ["kommun", "region"]}, True),
        ("string-length(${t}) > 3", {"t": "hej hopp"}, True),
        ("${n} + 1 = 3", {"n": 2}, True),
        ("${x} = 5", {"x": "5"}, True),
        ("(${a} = 'x' or ${a} = 'y') and true()", {"a": "y"}, True),
    ],
)
def test_evaluate(source, answers, expected):
    assert parse(source).evaluate(answers) is expected


def test_current_value_for_constraints():
    constraint = parse(". >= 0 and . < 100")
    assert constraint.evaluate({}, current=5)
    assert not constraint.evaluate({}, current=-1)


def test_choice_filter_reads_choice_columns():
    expression = parse("${state}=cf")
    assert expression.columns == {"cf"} and expression.references == {"state"}
    assert expression.evaluate({"state": "texas"}, columns={"cf": "texas"})
    assert not expression.evaluate({"state": "texas"}, columns={"cf": "washington"})


@pytest.mark.parametrize(
    "source",
    [
        "__import__('os').system('ls')",
        "${a} = ",
        "${a} = 'ja' and",
        "pulldata('x', 'y')",
        "${a} ; drop",
        "",
        "(${a} = 'x'",
        "selected(${a})",
    ],
)
def test_refuses_what_is_not_in_the_subset(source):
    with pytest.raises(ExpressionError):
        parse(source)
