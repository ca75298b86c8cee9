"""Shared by the AppTest modules (test_app, test_app_access): where the app is, page paths, and
the fixtures that isolate each test. Import the fixtures into a test module to use them."""
from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st

from baz_data.model import load_dataset
from baz_data.sources import demo_source

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")


def start(name: str | None = None):
    """The app run once (and switched to page ``name``), with no exception on the way."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, at.exception
    if name:
        at.switch_page(page(name)).run()
        assert not at.exception, at.exception
    return at


def page(name: str) -> str:
    return f"app_pages/{name}.py"


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """No secrets, no workbook override, no cached data from an earlier test."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BAZ_WORKBOOK", raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture(scope="module")
def demo():
    return load_dataset(demo_source())


def record_downloads(monkeypatch) -> list[tuple[str, object]]:
    """Record every download button drawn from now on as (file name, data); data may be a
    callable that makes the bytes when clicked (app_state.export)."""
    from streamlit.delta_generator import DeltaGenerator

    seen: list[tuple[str, object]] = []
    original = DeltaGenerator.download_button

    def recording(self, label, data, file_name=None, *args, **kwargs):
        seen.append((file_name, data))
        return original(self, label, data, file_name, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", recording)
    monkeypatch.setattr(st, "download_button", lambda *a, **k: recording(st._main, *a, **k))
    return seen
