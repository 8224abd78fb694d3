"""The installed `addperm` (pip install addperm) run from pytest against an emulator.

This is the pattern README.md ("From Python and pytest") shows: a subprocess and `--junit`, no
plugin. The emulator's URL comes from ADDPERM_TARGET (scripts/moto.sh start prints it);
scripts/wheel-check.sh builds the wheel, installs it into a fresh venv, starts moto and runs this
file. The case files and moto's baseline are this repository's; a project of its own would keep
its case files and baseline (recorded with `check --write-baseline FILE`) next to its tests.
"""

import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CASES = REPO / "tests" / "cases" / "aws-behaviour.jsonl"
BASELINE = REPO / "conformance" / "baselines" / "moto.json"


@pytest.fixture(scope="module")
def addperm():
    exe = shutil.which("addperm")
    if exe is None:
        pytest.fail("addperm is not on PATH: pip install addperm")
    return exe


@pytest.fixture(scope="module")
def target():
    url = os.environ.get("ADDPERM_TARGET")
    if not url:
        pytest.fail("set ADDPERM_TARGET to the emulator's URL (scripts/moto.sh start prints it)")
    return url


def run(addperm, *args):
    # A guard against a hung emulator, not a measurement: addperm bounds every request itself.
    return subprocess.run([addperm, *args], capture_output=True, text=True, timeout=900)


def junit_cases(path):
    """{case id: failure message, or None for a pass} from addperm's JUnit report."""
    cases = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        failure = case.find("failure")
        cases[case.get("name")] = None if failure is None else failure.get("message")
    return cases


def test_version(addperm):
    done = run(addperm, "--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("addperm "), done.stdout


def test_moto_holds_its_baseline(addperm, target, tmp_path):
    """Exit 0: every case passes or diverges exactly as the baseline records (a NEW or CHANGED
    divergence exits 1). The JUnit report still lists every case, known divergences as failures."""
    junit = tmp_path / "moto.xml"
    done = run(addperm, "check", "--target", target, "--cases", str(CASES),
               "--compare", "exact", "--baseline", str(BASELINE),
               "--jobs", "4", "--junit", str(junit))
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr
    assert "0 new, 0 changed" in done.stdout
    cases = junit_cases(junit)
    assert len(cases) > 0
    assert "ok-principal-service-s3" in cases


def test_junit_names_the_divergence(addperm, target, tmp_path):
    """Without a baseline a divergence exits 1; the JUnit failure says what differs."""
    junit = tmp_path / "one.xml"
    done = run(addperm, "check", "--target", target, "--cases", str(CASES),
               "--id", "ok-principal-service-s3", "--junit", str(junit))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "0 passed, 1 failed" in done.stdout
    # moto 5.2.5 answers AddPermission 200 where AWS answers 201.
    assert "status: expected 201, got 200" in junit_cases(junit)["ok-principal-service-s3"]
