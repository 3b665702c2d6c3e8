"""One entry point: python -m scripts validate | build | serve."""

import argparse
import sys
from pathlib import Path

from scripts.paths import DATASETS, sources_dir
from scripts.validate import summary, validate_all


def cmd_validate(args: argparse.Namespace) -> int:
    reports, general = validate_all(args.datasets, args.sources)
    text, ok = summary(reports, general)
    print(text)
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check every data package")
    validate.add_argument("--datasets", type=Path, default=DATASETS, help="folder of data packages")
    validate.add_argument(
        "--sources",
        type=Path,
        default=None,
        help=f"folder of archived source texts (default: $SOURCES_DIR or {sources_dir()})",
    )
    validate.set_defaults(run=cmd_validate)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
