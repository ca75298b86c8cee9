"""Shared by the browser tests: where Chromium and the screenshots are, a free port, and waiting
for a `streamlit run` to become healthy. Not a test module (no test_ prefix)."""
from __future__ import annotations

import os
import socket
import subprocess
import time
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
