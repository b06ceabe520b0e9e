"""expr: a CEL expression over a config document (bound to ``doc``) is true.

The expression is parsed with cel-python's grammar when the policy is validated, so a syntax
error is invalid input at pack load, located at the control. Validation needs only the Lark
parser, built once per process from the cache folder the validation context names when there
is one; cel-python itself (about 70 ms to import) is loaded when an expression runs. At run time
every selected document must make it ``true``; a non-boolean value or an evaluation error
(a missing key, say) is the control's ``error`` outcome, never a pass.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field, ValidationInfo, field_validator

from p0gate.caching import from_context, private_dir
from p0gate.checks.base import CheckParams, nothing_selected
from p0gate.evidence import kinds_read_by
from p0gate.evidence.metrics import ConfigDocument, ConfigReader
from p0gate.outcome import CheckResult, Outcome, Values

if TYPE_CHECKING:
    from celpy import Runner
    from lark import Lark, Token

    from p0gate.checks.base import CheckContext
    from p0gate.yamlio import Json


class ExprCheck(CheckParams):
    """The CEL expression ``expr`` is true for every selected config document (``doc``)."""

    type: Literal["expr"]
    expr: str = Field(
        min_length=1,
        description=(
            "a CEL expression over the document `doc` that must be true, e.g. "
            "doc.session.idle_logoff_minutes <= 15"
        ),
    )

    accepts: ClassVar[tuple[str, ...]] = kinds_read_by(ConfigReader)
    UNITS: ClassVar[dict[str, str]] = {"documents": "documents", "false": "documents"}

    @field_validator("expr")
    @classmethod
    def _compiles(cls, value: str, info: ValidationInfo) -> str:
        parse(value, from_context(info.context))
        return value

    def run(self, ctx: CheckContext) -> CheckResult:
        required: Values = {"expr": self.expr}
        artifacts = ctx.select(self)
        if not artifacts:
            return nothing_selected(self, required)
        false: list[str] = []
        for artifact in artifacts:
            value = truth(self.expr, ctx.read(artifact, ConfigDocument).doc)
            if isinstance(value, str):
                return CheckResult(Outcome.ERROR, f"{artifact.id}: {value}", required=required)
            if not value:
                false.append(artifact.id)
        measured: Values = {"documents": len(artifacts), "false": len(false)}
        if false:
            return CheckResult(
                Outcome.FAIL, f"{self.expr} is false for {', '.join(false)}", measured, required
            )
        return CheckResult(
            Outcome.PASS,
            f"{self.expr} holds for {', '.join(a.id for a in artifacts)}",
            measured,
            required,
        )


@lru_cache(maxsize=512)
def compiled(expr: str) -> Runner:
    """The compiled program; a syntax error is a ``ValueError`` with CEL's explanation."""
    import celpy

    _fast_parser(None)
    env = celpy.Environment()
    try:
        return env.program(env.compile(expr))
    except celpy.celparser.CELParseError as exc:
        raise ValueError(syntax_words(expr, str(exc))) from None


def syntax_words(expr: str, error: str) -> str:
    """A CEL syntax error as a person reads it: where in the expression, and what is there."""
    caret = next((line for line in error.splitlines() if line.strip() == "^"), None)
    return at_column(expr, caret.index("^") + 1 if caret is not None else None)


def at_column(expr: str, column: int | None) -> str:
    """``expr`` is not valid CEL, at ``column`` (1-based; None: somewhere)."""
    if column is None or column < 1:
        return f"{expr!r} is not a valid CEL expression"
    rest = expr[column - 1:column + 11]
    where = f"near {rest!r}" if rest.strip() else "the expression ends too early"
    return f"{expr!r} is not a valid CEL expression: column {column}, {where}"


_PARSERS: dict[str, Lark] = {}  # the one Lark parser of this process, built on first use


def parse(expr: str, cache: Path | None = None) -> None:
    """Check the syntax of ``expr`` with CEL's grammar; a ``ValueError`` explains an error."""
    from lark.exceptions import LarkError, UnexpectedInput, UnexpectedToken

    try:
        _lark(cache).parse(expr)
    except UnexpectedInput as exc:
        ended = isinstance(exc, UnexpectedToken) and exc.token.type == "$END"
        column = len(expr) + 1 if ended else exc.column if isinstance(exc.column, int) else None
        raise ValueError(at_column(expr, column)) from None
    except LarkError:
        raise ValueError(at_column(expr, None)) from None


def _fast_parser(cache: Path | None) -> None:
    """Hand cel-python the shared parser (``CELParser.CEL_PARSER``, documented as the
    class-level slot of the shared parser) instead of letting it build its own in debug
    mode (twice the time)."""
    from celpy.celparser import CELParser

    if CELParser.CEL_PARSER is None:
        CELParser.CEL_PARSER = _lark(cache)


def _lark(cache: Path | None) -> Lark:
    """cel-python's grammar and parser options, read without importing cel-python."""
    if "cel" not in _PARSERS:
        import re
        from importlib.util import find_spec

        import lark

        spec = find_spec("celpy")
        if spec is None or not spec.submodule_search_locations:
            raise ValueError("cel-python is not installed")
        grammar = (Path(spec.submodule_search_locations[0]) / "cel.lark").read_text()
        _PARSERS["cel"] = lark.Lark(
            grammar, parser="lalr", start="expr", debug=False, g_regex_flags=re.M,
            lexer_callbacks={"IDENT": _literal}, propagate_positions=True,
            maybe_placeholders=False, priority="invert", tree_class=lark.Tree,
            cache=_parser_cache(lark.__version__, cache))
    return _PARSERS["cel"]


def _literal(token: Token) -> Token:
    """The grammar's one ambiguity, as cel-python resolves it: ``true``/``false`` are
    boolean literals, not identifiers (``CELParser.ambiguous_literals``)."""
    from lark import Token

    return Token("BOOL_LIT", token.value) if token.value in {"true", "false"} else token


def _parser_cache(version: str, cache: Path | None) -> str | bool:
    """A file in p0gate's private cache folder for the built parser tables, else no cache.

    Lark checks the grammar, options and its own version stored in the file and rebuilds
    on any mismatch; building costs about 0.1-0.2 s per process, loading 0.01 s.
    """
    folder = private_dir(cache)
    return str(folder / f"cel-parser-lark-{version}.cache") if folder else False


def truth(expr: str, doc: Json) -> bool | str:
    """True or False; a string explains why the expression gave no boolean."""
    import celpy
    from celpy.celtypes import BoolType
    from celpy.evaluation import CELEvalError

    try:
        activation = {"doc": celpy.adapter.json_to_cel(doc)}
    except (ValueError, OverflowError) as exc:  # an integer beyond CEL's 64 bits, say
        return f"the document holds a value CEL cannot represent ({exc})"
    try:
        value = compiled(expr).evaluate(activation)
    except CELEvalError as exc:
        return eval_words(exc)
    if isinstance(value, CELEvalError):
        return eval_words(value)
    if not isinstance(value, BoolType):
        return f"the expression gave {value_words(value)}, not true or false"
    return bool(value)


_OPERATORS = {"relation_lt": "<", "relation_le": "<=", "relation_gt": ">", "relation_ge": ">=",
              "relation_eq": "==", "relation_ne": "!=", "addition_add": "+",
              "addition_sub": "-", "multiplication_mul": "*", "multiplication_div": "/",
              "multiplication_mod": "%", "unary_neg": "-", "unary_not": "!"}
_TYPES = {"IntType": "an integer", "UintType": "an unsigned integer",
          "DoubleType": "a decimal number", "StringType": "text", "BoolType": "true/false",
          "ListType": "a list", "MapType": "an object", "NullType": "null",
          "BytesType": "bytes", "TimestampType": "a timestamp", "DurationType": "a duration",
          "NoneType": "null"}


def eval_words(error: Exception) -> str:
    """Why a CEL expression gave no answer, without cel-python's internals."""
    import re

    text = str(error.args[0] if error.args else error)
    missing = re.search(r"no such (?:member in mapping|key): '?([^']*)'?", text)
    if missing:
        return f"the document has no key {missing.group(1)!r} (the expression reads it)"
    overload = re.search(r"Token\('RULE', '(\w+)'\).*?applied to '\((.*)\)'", text)
    if overload:
        operator = _OPERATORS.get(overload.group(1), overload.group(1))
        kinds = [_TYPES.get(k, k) for k in re.findall(r"\.(\w+)'>", overload.group(2))]
        return (f"{operator} cannot be applied to {' and '.join(kinds)}: CEL does not convert "
                "types (write 2.0, not 2, beside a decimal; compare text with text)")
    if "divide by zero" in text:
        return "the expression divides by zero"
    return f"the expression cannot be evaluated on this document ({text[:120]})"


def value_words(value: object) -> str:
    """A CEL value as a person reads it: the number 600, the text 'x', a list of 2 items."""
    from p0gate.outcome import fmt

    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"the number {fmt(float(value))}"
    if isinstance(value, str):
        return f"the text {str(value)!r}"
    if isinstance(value, list):
        return f"a list of {len(value)} items"
    if isinstance(value, dict):
        return f"an object with {len(value)} keys"
    return "null" if type(value).__name__ == "NullType" else "a value"
