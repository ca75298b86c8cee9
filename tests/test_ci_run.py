"""`.ci/run` and `start.sh` (through their shared `.ci/common.sh`): which Python, a `.venv` where
the system Python refuses pip, apt that waits for another apt, quiet output, pytest exit 5.

Bash runs the real script functions. Only apt is played by small stand-in programs on PATH
(`apt-get`, `dpkg-query`, `sudo`): a test must not install system packages or take the real
dpkg lock of a shared machine. Python, venv and pytest are the real ones.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEBIAN_PYTHON = Path("/usr/bin/python3")   # Debian 12's own, "externally managed" (PEP 668)
SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def bash(script: str, cwd: Path, path: str, **env: str) -> subprocess.CompletedProcess:
    """``script`` after sourcing .ci/common.sh, in ``cwd``, with only ``path`` to find programs."""
    environment = {"HOME": os.environ.get("HOME", str(cwd)), "PATH": path, **env}
    return subprocess.run(["bash", "-c", f"set -euo pipefail; source {ROOT}/.ci/common.sh; {script}"],
                          cwd=cwd, env=environment, capture_output=True, text=True, timeout=300)


def externally_managed(python: Path) -> bool:
    result = subprocess.run([str(python), "-c", "import os, sysconfig; print(os.path.exists("
                             "os.path.join(sysconfig.get_path('stdlib'), 'EXTERNALLY-MANAGED')))"],
                            capture_output=True, text=True)
    return result.stdout.strip() == "True"


def test_without_python_it_takes_python3_and_uses_it_when_pip_may_install(tmp_path):
    """Plain Debian has no `python`; an interpreter that allows pip (pyenv in CI, or the venv
    these tests run in) is used as it is: no .venv."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python3").write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    (bin_dir / "python3").chmod(0o755)
    result = bash('use_python; echo "PY=$PY"', tmp_path, f"{bin_dir}:/bin")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"PY={bin_dir}/python3"
    assert not (tmp_path / ".venv").exists()


def test_an_externally_managed_python_gets_a_venv_that_is_reused(tmp_path):
    """Debian's /usr/bin/python3 refuses pip: a .venv is made once, then reused."""
    assert DEBIAN_PYTHON.exists() and externally_managed(DEBIAN_PYTHON), \
        "this test needs Debian's own python3 (CI runs on Debian 12)"
    result = bash('use_python; echo "PY=$PY"', tmp_path, SYSTEM_PATH)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["Virtuele omgeving .venv maken met /usr/bin/python3",
                                          "PY=.venv/bin/python"]
    assert (tmp_path / ".venv" / "bin" / "pip").exists()
    again = bash('use_python; echo "PY=$PY"', tmp_path, SYSTEM_PATH)
    assert again.stdout.splitlines() == ["PY=.venv/bin/python"]


@pytest.fixture
def fake_apt(tmp_path):
    """apt-get that reports the lock ``locked`` times on update, then works; every call logged."""
    bin_dir = tmp_path / "apt-bin"
    bin_dir.mkdir()
    calls = tmp_path / "calls"
    (bin_dir / "apt-get").write_text(f"""#!/bin/bash
echo "apt-get $*" >> {calls}
if [[ " $* " == *" update "* ]]; then
  n=$(grep -c update {calls})
  if [ "$n" -le "${{LOCKED:-0}}" ]; then
    echo "E: Could not get lock /var/lib/apt/lists/lock. It is held by process 4242 (apt-get)" >&2
    exit 100
  fi
  [ -n "${{BROKEN:-}}" ] && {{ echo "E: The repository is not signed." >&2; exit 100; }}
fi
echo "Selecting previously unselected package ..."
""")
    (bin_dir / "dpkg-query").write_text(  # nothing is installed, unless INSTALLED is set
        '#!/bin/bash\n[ -n "${INSTALLED:-}" ] && echo "install ok installed" || exit 1\n')
    (bin_dir / "sudo").write_text('#!/bin/bash\nexec "$@"\n')     # when not run as root
    for program in bin_dir.iterdir():
        program.chmod(0o755)
    return f"{bin_dir}:{SYSTEM_PATH}", calls


def test_apt_install_waits_while_another_apt_holds_the_lock(tmp_path, fake_apt):
    path, calls = fake_apt
    result = bash("apt_install postgresql chromium", tmp_path, path, LOCKED="2", APT_RETRY_SLEEP="0")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Installeren met apt: postgresql chromium\n"  # apt's own output: away
    assert result.stderr == ""
    lines = calls.read_text().splitlines()
    assert lines[:3] == ["apt-get -o DPkg::Lock::Timeout=600 update -qq"] * 3  # 2 × locked, then ok
    assert lines[3] == ("apt-get -o DPkg::Lock::Timeout=600 install -y -qq postgresql chromium")


def test_apt_install_does_nothing_when_all_is_installed(tmp_path, fake_apt):
    path, calls = fake_apt
    result = bash("apt_install chromium chromium-driver", tmp_path, path, INSTALLED="1")
    assert result.returncode == 0 and result.stdout == "" and result.stderr == ""
    assert not calls.exists()  # not even apt-get update: a prepared machine stays fast


def test_apt_install_stops_with_apts_message_on_another_failure(tmp_path, fake_apt):
    path, calls = fake_apt
    result = bash("apt_install postgresql", tmp_path, path, BROKEN="1", APT_RETRY_SLEEP="0")
    assert result.returncode != 0
    assert "The repository is not signed." in result.stderr and "Mislukt: apt-get update." in result.stderr
    assert len(calls.read_text().splitlines()) == 1  # no retry: it is not the lock


def test_apt_install_gives_up_when_the_lock_stays(tmp_path, fake_apt):
    path, calls = fake_apt
    result = bash("apt_install postgresql", tmp_path, path, LOCKED="99", APT_RETRY_SLEEP="0",
                  APT_LOCK_WAIT="3")
    assert result.returncode != 0 and "Could not get lock" in result.stderr
    assert len(calls.read_text().splitlines()) == 4  # waited 0, 1, 2, 3 "seconds", then stopped


@pytest.mark.parametrize("command, code, shown", [
    ("echo all fine", 0, ""),
    ("echo 'WARNING: Location /opt/x is ignored'", 0, ""),
    ("echo 'the details'; exit 3", 3, "the details\nMislukt: stap (exitcode 3).\n"),
], ids=["quiet", "warning-hidden", "failure-shown"])
def test_quietly_shows_output_only_when_the_step_fails(tmp_path, command, code, shown):
    result = bash(f"quietly stap bash -c \"{command}\"", tmp_path, SYSTEM_PATH)
    assert result.returncode == code
    assert result.stdout == "" and result.stderr == shown


def test_ci_run_counts_no_tests_as_a_failure(tmp_path):
    """pytest exit code 5 (nothing collected) must not pass silently; otherwise only pytest's
    own summary is printed (no pip notes)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTEST_ADDOPTS", "PYTEST_CURRENT_TEST")}
    result = subprocess.run(["bash", str(ROOT / ".ci" / "run"), "tests/test_formatting.py", "-k",
                             "no_test_has_this_name"], env=env, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 1
    assert "Geen tests gevonden (pytest exitcode 5): dat telt als mislukt." in result.stderr
    assert "deselected in" in result.stdout.strip().splitlines()[-1]  # pytest's summary stays
    for noise in ("WARNING", "Location", "Requirement already satisfied"):
        assert noise not in result.stdout + result.stderr, noise
