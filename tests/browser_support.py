"""Shared by the browser tests: where Chromium and the screenshots are, a free port, and waiting
for a `streamlit run` to become healthy. Not a test module (no test_ prefix)."""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = Path(os.environ.get("BAZ_SCREENSHOTS", ROOT / "tests" / "screenshots"))
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
WIDTH = 1440                           # browser window width, px


def require_chromium() -> None:
    """Call at module level: missing browsers must not pass silently; only an explicit opt-out
    (BAZ_SKIP_BROWSER=1) skips the module."""
    if Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists():
        return
    if os.environ.get("BAZ_SKIP_BROWSER") != "1":
        raise RuntimeError("Chromium/chromedriver ontbreken: `bash .ci/run` installeert ze "
                           "(of zet BAZ_SKIP_BROWSER=1 om de browsertests bewust over te slaan)")
    pytest.skip("BAZ_SKIP_BROWSER=1", allow_module_level=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit stopte met code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError("streamlit werd niet gezond binnen de tijd")


def stop(process: subprocess.Popen) -> None:
    """End a server this test started: politely, then firmly."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@contextlib.contextmanager
def streamlit_server(where: Path, env: dict[str, str]):
    """``streamlit run app.py`` on a free localhost port from ``where`` (its HOME and log folder),
    with the settings of .streamlit/config.toml passed as flags (the folder has no config of its
    own); yields the base URL and stops the server afterwards."""
    env = {**env, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))}
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    flags = [f"--{section}.{name}={value}".replace("True", "true").replace("False", "false")
             for section, values in config.items() for name, value in values.items()]
    port = free_port()
    log = where / "streamlit.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), *flags,
             "--server.headless=true", f"--server.port={port}", "--server.address=127.0.0.1",
             "--server.fileWatcherType=none"],
            cwd=where, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process)
        yield url
    finally:
        stop(process)
        print(f"\nstreamlit-log: {log}")
