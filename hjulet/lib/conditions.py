"""A small, safe evaluator for the XLSForm expressions Hjulet supports in ``relevant``,
``constraint``, ``choice_filter`` and ``calculation`` (a subset of XPath). Nothing is ever
passed to eval.

Supported: ``${name}`` (another question's answer or calculated value), ``.`` (this
question's answer), a bare name (a column of the choice, in a choice filter), numbers,
'strings', ``= != < <= > >=``, ``+ - * div mod``, ``and``, ``or``, parentheses and the
functions ``selected(a, 'x')``, ``count-selected(a)``, ``not(x)``, ``string-length(x)``,
``true()``, ``false()``, ``if(c, a, b)``, ``concat(a, …)``, ``coalesce(a, b)``,
``round(x[, digits])``, ``int(x)``, ``number(x)`` and ``string(x)``.

Order comparisons (``< <= > >=``) compare numbers; two dates (YYYY-MM-DD) or two times of
day (HH:MM[:SS]) compare as such, as XPath does once they are converted.
"""

import math
import re
from dataclasses import dataclass
from typing import Any

# name → (fewest, most) arguments
FUNCTIONS = {
    "selected": (2, 2),
    "count-selected": (1, 1),
    "not": (1, 1),
    "string-length": (1, 1),
    "true": (0, 0),
    "false": (0, 0),
    "if": (3, 3),
    "concat": (1, 20),
    "coalesce": (2, 2),
    "round": (1, 2),
    "int": (1, 1),
    "number": (1, 1),
    "string": (1, 1),
}
NUMERIC_FUNCTIONS = {"count-selected", "string-length", "round", "int", "number"}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_TIME = re.compile(r"^\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
COMPARISONS = ("!=", "<=", ">=", "=", "<", ">")
MAX_LENGTH = 1000

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<ref>\$\{(?P<refname>[A-Za-z_][\w.-]*)\})
      | (?P<number>\d+(?:\.\d+)?)
      | (?P<string>'[^']*'|"[^"]*")
      | (?P<op>!=|<=|>=|=|<|>|\+|-|\*|\(|\)|,)
      | (?P<name>[A-Za-z_][\w-]*)
      | (?P<dot>\.)
    )""",
    re.VERBOSE,
)


class ExpressionError(ValueError):
    """The expression is not in the supported subset; the message says where."""


@dataclass(frozen=True)
class Expression:
    source: str
    tree: tuple

    @property
    def references(self) -> set[str]:
        """The ``${name}`` questions the expression reads."""
        found: set[str] = set()
        _collect(self.tree, "ref", found)
        return found

    @property
    def columns(self) -> set[str]:
        """The bare names (choice columns) the expression reads."""
        found: set[str] = set()
        _collect(self.tree, "col", found)
        return found

    @property
    def is_numeric(self) -> bool:
        """Whether the value is always a number (or empty): arithmetic, a number, or a
        function that gives one. A bare ``${name}`` is not known to be one."""
        return _numeric(self.tree)

    def evaluate(
        self, answers: dict[str, Any], current: Any = None, columns: dict[str, Any] | None = None
    ) -> bool:
        return _truthy(_eval(self.tree, answers, current, columns or {}))

    def value(
        self, answers: dict[str, Any], current: Any = None, columns: dict[str, Any] | None = None
    ) -> Any:
        """The expression's value as a calculation stores it: a number (an int when whole),
        a text, or None when empty (a missing answer, a division by zero)."""
        return stored(_eval(self.tree, answers, current, columns or {}))


def stored(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        if value.is_integer() and abs(value) < 1e15:
            return int(value)
        return round(value, 10)
    if isinstance(value, list):
        return " ".join(str(v) for v in value) or None
    if value is None or value == "":
        return None
    return value


def _numeric(node: tuple) -> bool:
    kind = node[0]
    if kind in ("num", "arith"):
        return True
    if kind == "call":
        if node[1] in NUMERIC_FUNCTIONS:
            return True
        if node[1] == "if":
            return _numeric(node[2][1]) and _numeric(node[2][2])
        if node[1] == "coalesce":
            return _numeric(node[2][0]) and _numeric(node[2][1])
    return False


def _collect(node: tuple, kind: str, found: set[str]) -> None:
    if node[0] == kind:
        found.add(node[1])
    for child in node[1:]:
        if isinstance(child, tuple):
            _collect(child, kind, found)
        elif isinstance(child, list):
            for item in child:
                _collect(item, kind, found)


def _tokenize(source: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    source = source.strip()
    while position < len(source):
        match = _TOKEN.match(source, position)
        if not match or match.end() == position:
            raise ExpressionError(f"cannot read '{source[position : position + 10]}'")
        position = match.end()
        kind = match.lastgroup
        if kind == "refname":
            kind = "ref"
        if kind == "ref":
            tokens.append(("ref", match.group("refname")))
        elif kind == "string":
            tokens.append(("string", match.group("string")[1:-1]))
        else:
            tokens.append((kind, match.group(kind)))
        while position < len(source) and source[position].isspace():
            position += 1
    return tokens


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.index = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise ExpressionError("the expression ends too early")
        self.index += 1
        return token

    def expect(self, value: str) -> None:
        token = self.take()
        if token[1] != value:
            raise ExpressionError(f"expected '{value}' but found '{token[1]}'")

    def parse(self) -> tuple:
        tree = self.or_expr()
        if self.peek() is not None:
            raise ExpressionError(f"unexpected '{self.peek()[1]}'")
        return tree

    def or_expr(self) -> tuple:
        node = self.and_expr()
        while self.peek() == ("name", "or"):
            self.take()
            node = ("or", node, self.and_expr())
        return node

    def and_expr(self) -> tuple:
        node = self.comparison()
        while self.peek() == ("name", "and"):
            self.take()
            node = ("and", node, self.comparison())
        return node

    def comparison(self) -> tuple:
        node = self.additive()
        token = self.peek()
        if token and token[0] == "op" and token[1] in COMPARISONS:
            self.take()
            node = ("cmp", token[1], node, self.additive())
        return node

    def additive(self) -> tuple:
        node = self.multiplicative()
        while self.peek() in (("op", "+"), ("op", "-")):
            op = self.take()[1]
            node = ("arith", op, node, self.multiplicative())
        return node

    def multiplicative(self) -> tuple:
        # 'div' and 'mod' are operators only after an operand, as in XPath.
        node = self.unary()
        while self.peek() in (("op", "*"), ("name", "div"), ("name", "mod")):
            op = self.take()[1]
            node = ("arith", op, node, self.unary())
        return node

    def unary(self) -> tuple:
        if self.peek() == ("op", "-"):
            self.take()
            return ("arith", "-", ("num", 0.0), self.primary())
        return self.primary()

    def primary(self) -> tuple:
        kind, value = self.take()
        if kind == "number":
            return ("num", float(value))
        if kind == "string":
            return ("str", value)
        if kind == "ref":
            return ("ref", value)
        if kind == "dot":
            return ("current",)
        if kind == "op" and value == "(":
            node = self.or_expr()
            self.expect(")")
            return node
        if kind == "name":
            if self.peek() == ("op", "("):
                if value not in FUNCTIONS:
                    raise ExpressionError(f"the function '{value}()' is not supported")
                self.take()
                args: list[tuple] = []
                if self.peek() != ("op", ")"):
                    args.append(self.or_expr())
                    while self.peek() == ("op", ","):
                        self.take()
                        args.append(self.or_expr())
                self.expect(")")
                fewest, most = FUNCTIONS[value]
                if not fewest <= len(args) <= most:
                    wanted = str(fewest) if fewest == most else f"{fewest}–{most}"
                    raise ExpressionError(
                        f"'{value}()' takes {wanted} argument(s), not {len(args)}"
                    )
                return ("call", value, args)
            if value in ("and", "or", "div", "mod"):
                raise ExpressionError(f"'{value}' needs something before it")
            return ("col", value)
        raise ExpressionError(f"unexpected '{value}'")


def parse(source: str) -> Expression:
    """Parse an expression; raises ExpressionError for anything outside the subset."""
    if len(source) > MAX_LENGTH:
        raise ExpressionError("the expression is too long")
    tokens = _tokenize(source)
    if not tokens:
        raise ExpressionError("the expression is empty")
    return Expression(source, _Parser(tokens).parse())


def _empty(value: Any) -> bool:
    return (
        value is None
        or value == ""
        or value == []
        or (isinstance(value, float) and math.isnan(value))
    )


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.replace(",", "."))
        except ValueError:
            return None
    return None


def _text(value: Any) -> str:
    if _empty(value):
        return ""
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _truthy(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0 and not math.isnan(value)
    return not _empty(value)


def _compare(op: str, left: Any, right: Any) -> bool:
    a, b = _number(left), _number(right)
    if op in ("<", "<=", ">", ">="):
        if a is None or b is None:
            a, b = _moment(left), _moment(right)
            if a is None or b is None or len(a) != len(b):
                return False
        return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]
    if a is not None and b is not None and not (_empty(left) or _empty(right)):
        equal = a == b
    else:
        equal = _text(left) == _text(right)
    return equal if op == "=" else not equal


def _moment(value: Any) -> tuple | None:
    """A date or a time of day as something that orders correctly (None for other text)."""
    if not isinstance(value, str):
        return None
    if _ISO_DATE.match(value):
        return ("date", value)
    if _ISO_TIME.match(value):
        hours, minutes, *rest = value.split(":")
        return ("time", int(hours), int(minutes), float(rest[0]) if rest else 0.0)
    return None


def _arith(op: str, a: float, b: float) -> float:
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if b == 0:
        return math.nan  # XPath gives Infinity or NaN; both are no value to store
    return a / b if op == "div" else math.fmod(a, b)


def _round(value: Any, digits: Any = 0.0) -> float:
    number, places = _number(value), _number(digits)
    if number is None or places is None or not math.isfinite(number) or math.isnan(places):
        return math.nan
    scale = 10.0 ** max(-15, min(15, int(places)))
    scaled = number * scale + 0.5
    if not math.isfinite(scaled):
        return number
    return math.floor(scaled) / scale  # XPath rounds half up


def _eval(node: tuple, answers: dict[str, Any], current: Any, columns: dict[str, Any]) -> Any:
    kind = node[0]
    if kind in ("num", "str"):
        return node[1]
    if kind == "ref":
        return answers.get(node[1])
    if kind == "current":
        return current
    if kind == "col":
        return columns.get(node[1])
    if kind == "or":
        return _truthy(_eval(node[1], answers, current, columns)) or _truthy(
            _eval(node[2], answers, current, columns)
        )
    if kind == "and":
        return _truthy(_eval(node[1], answers, current, columns)) and _truthy(
            _eval(node[2], answers, current, columns)
        )
    if kind == "cmp":
        return _compare(
            node[1],
            _eval(node[2], answers, current, columns),
            _eval(node[3], answers, current, columns),
        )
    if kind == "arith":
        a = _number(_eval(node[2], answers, current, columns))
        b = _number(_eval(node[3], answers, current, columns))
        if a is None or b is None:
            return math.nan
        return _arith(node[1], a, b)
    if kind == "call" and node[1] == "if":  # only the branch taken is evaluated
        condition, then, otherwise = node[2]
        chosen = then if _truthy(_eval(condition, answers, current, columns)) else otherwise
        return _eval(chosen, answers, current, columns)
    if kind == "call":
        name, args = node[1], [_eval(arg, answers, current, columns) for arg in node[2]]
        if name == "selected":
            chosen = args[0] if isinstance(args[0], list) else _text(args[0]).split()
            return _text(args[1]) in chosen
        if name == "count-selected":
            return float(len(args[0]) if isinstance(args[0], list) else len(_text(args[0]).split()))
        if name == "not":
            return not _truthy(args[0])
        if name == "string-length":
            return float(len(_text(args[0])))
        if name == "concat":
            return "".join(_text(arg) for arg in args)
        if name == "coalesce":
            return args[1] if _empty(args[0]) else args[0]
        if name == "round":
            return _round(*args)
        if name in ("int", "number"):
            number = _number(args[0]) if not _empty(args[0]) else None
            if number is None or not math.isfinite(number):
                return math.nan
            return float(math.trunc(number)) if name == "int" else number
        if name == "string":
            return _text(args[0])
        return name == "true"
    raise ExpressionError(f"unknown node {kind}")  # pragma: no cover - parser makes none
