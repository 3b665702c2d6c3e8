"""Text that a spreadsheet would run as a formula is refused in string fields, and only there."""

from scripts.checks.characters import check_formula_prefixes
from scripts.data.packages import load_raw


def test_a_negative_number_is_a_number_but_the_same_characters_in_a_text_are_refused(workspace):
    workspace.set("observations", "water-sections-before", "value", "-12")
    workspace.set("units", "establishment-office", "short_name_en", "-29 Office")
    package, _ = load_raw(workspace.package)
    found = [(p.file.rsplit("/", 1)[-1], p.row, p.field) for p in check_formula_prefixes(package)]
    assert found == [("units.csv", workspace.row("units", "establishment-office"), "short_name_en")]
