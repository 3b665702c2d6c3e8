"""The message catalogue (scripts/data/messages.toml): the printed lines in their exact form; every entry with all its
texts; every code the scripts emit in the catalogue and every entry emitted somewhere; a wrong code or parameter
refused where the problem is made."""

import ast
from collections.abc import Container
from pathlib import Path

import pytest

from scripts.data.formulas import FormulaError, evaluate
from scripts.data.messages import PROBLEM, MessageError, Text, catalogue
from scripts.data.paths import MESSAGES, ROOT
from scripts.data.problems import Problem

SCRIPTS = ROOT / "scripts"
WALKED = {"readme", "check"}  # tables written whole, in their order (the read-me sheet, the kinds of check)


def test_problems_and_warnings_print_as_a_maintainer_reads_them():
    fix = Text("fix.thousands-separator", {"plain": "499000", "value": "499,000"})
    invalid = {"value": "499,000", "type": Text("type.number"), "fix": fix}
    number = Problem("observations!F12", "value-not-valid", invalid, field="value")
    assert str(number) == (
        "错误 observations!F12，字段“value”：“499,000”不是有效的数字。改法：去掉千位分隔符：写 499000，不写 499,000\n"
        "ERROR observations!F12, field “value”: “499,000” is not a valid number. "
        "Fix: remove the thousands separator: write 499000, not 499,000"
    )
    add = Text("fix.add-code", {"table": "units"})
    missing = {"fields": "unit_id", "values": "huaibei", "table": "units", "fix": add}
    repeated = Problem("data/changes.csv", "code-not-found", missing, 7, "unit_id", also=(8, 18))
    assert repeated.text("zh") == (
        "错误 data/changes.csv，第 7 行，字段“unit_id”：unit_id“huaibei”在 units 中不存在（第 8、18 行也是如此）。"
        "改法：改正代码（检查拼写和空格），或先在 units.csv 中添加这一代码的行"
    )
    assert repeated.text("en") == (
        "ERROR data/changes.csv, row 7, field “unit_id”: unit_id “huaibei” does not exist in units (and in rows 8, 18)"
        ". Fix: correct the code (check spelling and spaces), or add a row for it to units.csv first"
    )
    assert Problem("x", "value-not-in-excerpt", {"value": 4.0, "numbers": Text("phrase.none")}).text("zh") == (
        "错误 x：数值 4 没有出现在它的摘录中（摘录中的数字：无）。"
        "改法：把数值改成摘录中的数字（49.9万即 499000，20% 即 20），或引用写有这个数字的那句话"
    )
    warning = Problem("data/units.csv", "csv-bom", severity="warning")
    assert str(warning) == (
        "警告 data/units.csv：文件以 UTF-8 字节顺序标记（BOM）开头（Excel 会这样保存）；已正确读取。"
        "改法：无需处理；不带 BOM 保存可让版本比较更干净\n"
        "WARNING data/units.csv: the file starts with a UTF-8 byte-order mark (as Excel saves it); it is read "
        "correctly. Fix: nothing needed; saving without the BOM keeps diffs clean"
    )
    also_in = ("observations!E4", "observations!E5")
    cells = Problem("observations!E3", "value-required", field="unit_id", also_in=also_in)
    assert cells.text("zh") == (
        "错误 observations!E3，字段“unit_id”：单元格为空，但这一列必须填写"
        "（observations!E4、observations!E5 也是如此）。改法：填写这个值"
    )
    assert cells.text("en") == (
        "ERROR observations!E3, field “unit_id”: the cell is empty but a value is required "
        "(and in observations!E4, observations!E5). Fix: fill in the value"
    )


def test_a_formula_error_is_told_in_the_language_of_its_problem():
    with pytest.raises(FormulaError) as raised:
        evaluate("{a} - {b}", {"a": 1.0})
    problem = Problem("data/observations.csv", "formula-not-computable", {"error": raised.value.why}, 5, "formula")
    assert problem.message_in("zh") == "公式无法计算：它引用的 b 不是有数值的观测值"
    english = "the formula cannot be computed: it refers to b, which is not an observation with a number"
    assert problem.message_in("en") == english


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda: Problem("x", "no-such-problem"), "no text"),
        (lambda: Problem("x", "excerpt-not-verbatim", {"excerpt": "…"}), r"missing parameters \['source_id'\]"),
        (lambda: Problem("x", "value-required", {"value": "1"}), r"unexpected parameters \['value'\]"),
        (lambda: Text("fix.no-such-fix"), "no text"),
        (lambda: Text("value-required"), "not a text code"),
        (lambda: Text("fix.thousands-separator", {"plain": "1"}), "missing parameters"),
    ],
)
def test_a_wrong_code_or_parameter_fails_where_the_problem_is_made(make, error):
    with pytest.raises(MessageError, match=error):
        make()


def test_every_entry_has_all_its_texts_and_a_malformed_catalogue_is_refused(tmp_path: Path):
    problems = catalogue()[PROBLEM]  # catalogue() refuses an entry without all its texts; none may be blank
    assert problems and [key for key, texts in problems.items() if not all(map(str.strip, texts.values()))] == []
    broken = tmp_path / "messages.toml"
    broken.write_text(
        '[problem.half-told]\nmessage_zh = "只有中文"\nmessage_en = "English"\nfix_zh = "改"\n', encoding="utf-8"
    )
    with pytest.raises(MessageError, match="half-told"):
        catalogue(broken)
    broken.write_text('[fix.stray-brace]\nzh = "文件必须以 { 开头"\nen = "start with {{"\n', encoding="utf-8")
    with pytest.raises(MessageError, match=r"stray-brace.*written twice"):
        catalogue(broken)


def _emitted(trees: list[ast.Module]) -> set[str]:
    """The codes written in the scripts where a code is asked for: the argument of Problem, Text, Joined and every
    function of the scripts with a `code` parameter (helpers that make a problem of the code they are given), and
    what is given to a variable named code. Not a method (alt.Text of the charts is not a catalogue text)."""
    nodes = [node for tree in trees for node in ast.walk(tree)]
    takers = {"Problem": 1, "Text": 0, "Joined": 1}
    for node in nodes:
        names = [a.arg for a in node.args.args] if isinstance(node, ast.FunctionDef) else []
        if "code" in names:
            takers[node.name] = names.index("code") - (1 if names[0] == "self" else 0)
    expressions: list[ast.expr] = []
    for node in nodes:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in takers:
            position = takers[node.func.id]
            expressions += node.args[position : position + 1]
            expressions += [k.value for k in node.keywords if k.arg in {"code", "separator"}]
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "code" for t in node.targets):
            expressions.append(node.value)
    return {code for expression in expressions for code in _literals(expression)}


def _literals(expression: ast.expr) -> set[str]:
    """The strings an expression can be: a literal, or either branch of a conditional."""
    if isinstance(expression, ast.Constant) and isinstance(expression.value, str):
        return {expression.value}
    if isinstance(expression, ast.IfExp):
        return _literals(expression.body) | _literals(expression.orelse)
    return set()


def _trees() -> list[ast.Module]:
    return [ast.parse(path.read_text(encoding="utf-8")) for path in sorted(SCRIPTS.rglob("*.py"))]


def _catalogue_codes(skipped: Container[str] = ()) -> set[str]:
    tables = catalogue().items()
    return {
        key if table == PROBLEM else f"{table}.{key}" for table, keys in tables if table not in skipped for key in keys
    }


def test_every_code_the_scripts_emit_is_in_the_catalogue():
    emitted = _emitted(_trees())
    assert {"value-not-valid", "fix.spaces", "excerpt-not-verbatim", "changelog-heading"} <= emitted  # the scan works
    assert sorted(emitted - _catalogue_codes()) == [], f"codes the scripts emit that {MESSAGES.name} lacks"


def test_every_entry_of_the_catalogue_is_emitted_somewhere():
    strings = {
        node.value
        for tree in _trees()
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    codes = _catalogue_codes(WALKED)
    assert len(codes) > 100
    assert sorted(codes - strings) == [], f"entries of {MESSAGES.name} that nothing emits"
