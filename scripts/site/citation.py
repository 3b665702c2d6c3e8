"""How to cite a package, in GB/T 7714-2015, APA 7 and BibTeX, from its descriptor."""

from scripts.data.model import Package


def citations(package: Package, site_url: str) -> list[tuple[str, str]]:
    d = package.descriptor
    author_zh = "；".join(c["title"] for c in d["contributors"])
    year = d["created"][:4]
    url = f"{site_url.rstrip('/')}/data/{package.name}/"
    gbt = f"{author_zh}. {d['title']}: {package.version}[DS/OL]. ({d['created'][:10]}). {url}."
    apa = f"{author_zh}. ({year}). {d['title_en']} (Version {package.version}) [Data set]. {url}"
    key = package.name.replace("-", "_") + "_" + package.version.replace(".", "_")
    bibtex = (
        f"@misc{{{key},\n  title = {{{d['title']} / {d['title_en']}}},\n  author = {{{{{author_zh}}}}},\n"
        f"  year = {{{year}}},\n  version = {{{package.version}}},\n  url = {{{url}}},\n  note = {{Data set}}\n}}"
    )
    return [("GB/T 7714-2015", gbt), ("APA", apa), ("BibTeX", bibtex)]
