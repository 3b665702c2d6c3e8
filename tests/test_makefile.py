"""The Makefile installs, for each command, only what that command needs: `make serve` and `make site` the build's
(fonts for PNG charts), `make test` and `make bench` also what the browser and workbook tests need."""

import re
import subprocess

import pytest

from scripts.data.paths import ROOT

BUILD = {"fonts-noto-cjk"}
BROWSER = BUILD | {"chromium", "libreoffice-calc-nogui", "zbar-tools"}


@pytest.mark.parametrize(
    ("target", "needed"), [("serve", BUILD), ("site", BUILD), ("test", BROWSER), ("bench", BROWSER)]
)
def test_each_command_installs_what_it_needs_and_building_the_site_no_browser(target, needed):
    dry = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    installs = {package for group in re.findall(r"for package in ([^;]*);", dry) for package in group.split()}
    assert installs == needed if needed == BUILD else needed <= installs
