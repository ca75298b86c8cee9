#!/usr/bin/env bash
# The README's app command: install what the app needs, then start it (extra arguments go to
# `streamlit run`, e.g. `bash start.sh --server.port 8600`). Works as written on a fresh
# Debian 12 / Ubuntu 24.04: where the system Python refuses pip (PEP 668) it makes ./.venv
# (and installs python3-venv for that when missing); see .ci/common.sh.
set -euo pipefail
cd "$(dirname "$0")"
source .ci/common.sh

use_python
pip_install requirements.txt
exec "$PY" -m streamlit run app.py "$@"
