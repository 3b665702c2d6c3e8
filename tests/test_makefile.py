"""The Makefile installs, for each command, only what that command needs: `make serve` and `make site` the build's
(fonts for PNG charts), `make test` and `make bench` also what the browser and workbook tests need."""

import re
import subprocess

import pytest

from scripts.data.paths import ROOT


def installs(target: str) -> set[str]:
    """The Debian packages `make TARGET` would install when missing (its dry run, on this machine)."""
    dry = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return {package for group in re.findall(r"for package in ([^;]*);", dry) for package in group.split()}


@pytest.mark.parametrize("target", ["serve", "site"])
def test_building_the_site_installs_no_browser(target):
    assert installs(target) == {"fonts-noto-cjk"}


@pytest.mark.parametrize("target", ["test", "bench"])
def test_testing_installs_the_browser_too(target):
    assert {"fonts-noto-cjk", "chromium", "libreoffice-calc-nogui", "zbar-tools"} <= installs(target)
