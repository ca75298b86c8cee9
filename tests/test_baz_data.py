"""The package as a whole: baz_data is pure data and never imports Streamlit (STYLE.md), the new
live modules included."""
from __future__ import annotations

import pkgutil
import subprocess
import sys

import baz_data

from tests.app_support import ROOT


def test_no_module_of_baz_data_imports_streamlit():
    names = sorted(f"baz_data.{m.name}" for m in pkgutil.iter_modules(baz_data.__path__)
                   if m.name != "__main__")
    assert {"baz_data.live", "baz_data.drive_probe", "baz_data.drive_server"} <= set(names)
    code = ("import importlib, sys\n"
            f"for name in {names!r}:\n    importlib.import_module(name)\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'streamlit'))")
    found = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                           text=True, check=True).stdout.strip()
    assert found == "[]"
