"""Find a problem in the output of `python -m scripts validate`: its Chinese line and its English line."""

import re

PREFIX = {"ERROR": "错误", "WARNING": "警告"}
ENGLISH = re.compile(
    r"^(?P<severity>ERROR|WARNING) (?P<file>[^,:]+)(?:, row (?P<row>\d+))?(?:, field “(?P<field>[^”]*)”)?: "
)


def find_problem(stdout: str, *fragments: str, severity: str = "ERROR") -> tuple[str, str]:
    """The (Chinese, English) lines of the first problem whose English line holds every fragment.

    Both lines must name the same file, row and field, and each must say what is wrong and how to fix it.
    """
    lines = stdout.splitlines()
    index = next(
        (i for i, line in enumerate(lines) if line.startswith(severity) and all(f in line for f in fragments)), None
    )
    assert index is not None, f"no {severity} line with {fragments}:\n{stdout}"
    english = lines[index]
    assert "Fix: " in english, english
    assert index > 0, f"no Chinese line before {english}"
    chinese = lines[index - 1]
    where = ENGLISH.match(english)
    assert where, english
    expected = f"{PREFIX[severity]} {where['file']}"
    if where["row"]:
        expected += f"，第 {where['row']} 行"
    if where["field"] is not None:
        expected += f"，字段“{where['field']}”"
    assert chinese.startswith(expected + "："), f"the Chinese line does not name {expected}:\n{chinese}\n{english}"
    assert "改法：" in chinese and re.search(r"[\u4e00-\u9fff]", chinese.split("：", 1)[1]), chinese
    return chinese, english
