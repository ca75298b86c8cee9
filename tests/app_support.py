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
