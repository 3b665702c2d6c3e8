"""One entry point: python -m scripts validate | sources | build | serve | bench | draft | import | release."""

import argparse
import sys
from pathlib import Path

from scripts.data.paths import DATASETS, SITE, sources_dir


def run(args: argparse.Namespace) -> int:
    """The command, importing its stage only now: `validate` need not load mkdocs, nor `build` the bench's browser."""
    match args.command:
        case "validate":
            from scripts.checks.validate import summary, validate_all

            text, ok = summary(*validate_all(args.datasets, args.sources))
            print(text)
            return 0 if ok else 1
        case "build":
            from scripts.site.build import build

            return build(args.site_dir, pages=args.pages_dir, datasets=args.datasets, sources=args.sources)
        case "serve":
            from scripts.site.serve import serve

            return serve(args.address, args.site_dir)
        case "draft":
            from scripts.maintain.draft import run_draft

            return run_draft(args.source_id, args.datasets, args.sources, args.output, args.package)
        case "import":
            from scripts.maintain.importer import run_import

            return run_import(args.workbook, args.datasets, args.sources)
        case "release":
            from scripts.maintain.release import run_release

            return run_release(args.datasets, args.sources)
        case "sources":
            from scripts.maintain.texts import run_sources

            return run_sources(args.datasets, args.sources)
    from scripts.bench.bench import bench

    return bench(write=not args.no_readme)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check every data package")
    draft = commands.add_parser("draft", help="write a workbook with one row per figure of a report, for Excel or WPS")
    draft.add_argument("source_id", metavar="SOURCE_ID", help="the report's id: its text is SOURCES/SOURCE_ID.txt")
    draft.add_argument("--output", type=Path, help="the workbook to write (default: drafts/SOURCE_ID.xlsx)")
    draft.add_argument("--package", help="the package the rows go to (needed only with several)")
    imports = commands.add_parser("import", help="check a filled workbook with every check and add its rows")
    imports.add_argument("workbook", metavar="WORKBOOK", type=Path, help="the filled workbook (.xlsx)")
    release = commands.add_parser(
        "release", help="freeze the current version's files with their SHA-256 in releases/<version>/ (then commit)"
    )
    texts = commands.add_parser(
        "sources", help="check that every archived source text is here and is the text recorded (its sha256)"
    )
    sources = f"folder of archived source texts (default: $SOURCES_DIR or {sources_dir()})"
    site = commands.add_parser("build", help="validate, then build the site into site/ (replaced only on success)")
    for command in (validate, texts, draft, imports, release, site):
        command.add_argument("--datasets", type=Path, default=DATASETS, help="folder of data packages")
        command.add_argument("--sources", type=Path, default=sources_dir(), help=sources)
    site.add_argument("--site-dir", type=Path, default=SITE)
    site.add_argument("--pages-dir", type=Path, help="keep each edition's rendered pages here (PAGES/zh, PAGES/en)")
    server = commands.add_parser("serve", help="validate, then serve the site with live rebuilds")
    server.add_argument("--address", default="127.0.0.1:8000")
    server.add_argument("--site-dir", type=Path, default=SITE)
    bench = commands.add_parser(
        "bench", help="measure build, serve and memory against a plain mkdocs build, page weights and Lighthouse scores"
    )
    bench.add_argument("--no-readme", action="store_true", help="print the figures without writing them into README")
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
