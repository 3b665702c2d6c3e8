"""Formulas of derived values: observation ids in braces combined with + - * / and brackets."""

import ast
import operator
import re
from collections.abc import Mapping

from scripts.data.messages import Text

REFERENCE = re.compile(r"\{([a-z0-9]+(?:-[a-z0-9]+)*)\}")
OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


class FormulaError(ValueError):
    """Why a formula cannot be computed, as a text of the message catalogue."""

    def __init__(self, why: Text) -> None:
        super().__init__(why.render("en"))
        self.why = why


def references(formula: str) -> list[str]:
    return list(dict.fromkeys(REFERENCE.findall(formula)))


def evaluate(formula: str, values: Mapping[str, float]) -> float:
    names = references(formula)
    missing = [name for name in names if name not in values]
    if missing:
        code = "phrase.formula-unknown-id" if len(missing) == 1 else "phrase.formula-unknown-ids"
        raise FormulaError(Text(code, {"ids": tuple(missing)}))
    expression = REFERENCE.sub(lambda m: f"v{names.index(m.group(1))}", formula)
    try:
        tree = ast.parse(expression, mode="eval")
    except SyntaxError as error:
        raise FormulaError(Text("phrase.formula-malformed", {"error": error.msg})) from error
    variables = {f"v{i}": float(values[name]) for i, name in enumerate(names)}
    try:
        return _evaluate(tree.body, variables)
    except ZeroDivisionError as error:
        raise FormulaError(Text("phrase.formula-divides-by-zero")) from error


def _evaluate(node: ast.AST, variables: dict[str, float]) -> float:
    if isinstance(node, ast.BinOp) and type(node.op) in OPERATORS:
        return OPERATORS[type(node.op)](_evaluate(node.left, variables), _evaluate(node.right, variables))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_evaluate(node.operand, variables)
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return float(node.value)
    if isinstance(node, ast.Name) and node.id in variables:
        return variables[node.id]
    raise FormulaError(Text("phrase.formula-other-terms"))
