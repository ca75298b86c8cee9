"""docs/hosting.md as a newcomer would follow it: the systemd unit's command, run exactly as
written (its working directory laid out like the guide's, the secrets file where the guide puts
it), serves the health endpoint, and the app reads the configured spreadsheet."""
from __future__ import annotations

import configparser
import json
import re
import shlex
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

from baz_data.sources import DEMO_WORKBOOK, WorkbookSource
from tests.browser_support import free_port, stop, wait_healthy

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "hosting.md"
APP_FILES = ["app.py", "app_access.py", "app_state.py", "ui.py", "app_pages", "baz_data",
             ".streamlit/config.toml"]


def unit() -> configparser.ConfigParser:
    """The ```ini block of the guide: the systemd unit."""
    block = re.search(r"```ini\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S).group(1)
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read_string(block)
    return parser


def test_the_unit_runs_streamlit_headless_on_localhost_only():
    service = unit()["Service"]
    command = shlex.split(service["ExecStart"])
    assert command[1:5] == ["-m", "streamlit", "run", "app.py"]
    assert "--server.headless=true" in command
    assert "--server.address=127.0.0.1" in command      # only the proxy reaches it
    assert service["User"] != "root"


def test_the_app_starts_as_the_unit_starts_it_and_is_healthy(tmp_path, sheets_server):
    service = unit()["Service"]
    workdir = Path(service["WorkingDirectory"])
    command = shlex.split(service["ExecStart"])
    # The guide's layout under a temporary root: /opt/baz-dashboard/app → tmp/opt/baz-dashboard/app.
    home = tmp_path / workdir.relative_to("/")
    for name in APP_FILES:
        source, target = ROOT / name, home / name
        target.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if source.is_dir() else shutil.copy)(source, target)
    key = sheets_server.add_spreadsheet(WorkbookSource(DEMO_WORKBOOK).read().tabs,
                                        title="Jaarplan online")
    secrets = home / ".streamlit" / "secrets.toml"
    account = "".join(f"{k} = {json.dumps(v)}\n"
                      for k, v in sheets_server.service_account_info.items())
    secrets.write_text(f"allow_open_access = true\n[connections.gsheets]\nspreadsheet = "
                       f"{json.dumps(key)}\nsheets_api_url = {json.dumps(sheets_server.url)}\n"
                       + account, encoding="utf-8")
    secrets.chmod(0o600)
    port = free_port()
    # The unit's own command; only the interpreter (the guide's venv) and the port are this
    # machine's.
    argv = [sys.executable, *command[1:]]
    argv = [a.replace("--server.port=8501", f"--server.port={port}") for a in argv]
    assert f"--server.port={port}" in argv
    log = tmp_path / "streamlit.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(argv, cwd=home, stdout=out, stderr=subprocess.STDOUT,
                                   env={"HOME": str(tmp_path / "home-baz"), "PATH": "/usr/bin:/bin"})
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process, seconds=90)
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as answer:
            assert answer.read().decode() == "ok"
        # The doctor of the guide, from the app's folder, agrees the spreadsheet is reachable.
        run = subprocess.run([sys.executable, "-m", "baz_data", "doctor", "--json", "--url", url],
                             cwd=home, capture_output=True, text=True, timeout=120,
                             env={"HOME": str(tmp_path / "home-baz"), "PATH": "/usr/bin:/bin"})
        checks = {c["code"]: c for c in json.loads(run.stdout)["checks"]}
        assert checks["spreadsheet"]["status"] == "ok", checks["spreadsheet"]
        assert "Jaarplan online" in checks["spreadsheet"]["detail"]
        assert checks["secrets"]["status"] == "ok"
    finally:
        stop(process)
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in text, text
