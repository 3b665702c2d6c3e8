"""Text that a spreadsheet would run as a formula is refused in string fields, and only there."""

from scripts.checks.characters import check_formula_prefixes
from scripts.data.packages import load_raw


def test_a_negative_number_is_a_number_but_the_same_characters_in_a_text_are_refused(workspace):
    workspace.replace("observations", "before-reform,29,", "before-reform,-29,")
    workspace.replace("units", ",Commission Office for Public Sector Reform,", ",-29 Office,")
    package, _ = load_raw(workspace.package)
    found = [(p.file.rsplit("/", 1)[-1], p.row, p.field) for p in check_formula_prefixes(package)]
    assert found == [("units.csv", 3, "short_name_en")]


def test_the_published_data_has_no_text_that_starts_like_a_formula(workspace):
    package, _ = load_raw(workspace.package)
    assert check_formula_prefixes(package) == []
