# Shared by .ci/run (the tests) and start.sh (the app); sourced, not run. Bash.
#
# Contract: after `use_python`, $PY is a Python >= 3.11 that pip may install into:
#   * an active virtual environment ($VIRTUAL_ENV), else
#   * ./.venv when it exists and works, else
#   * `python`, or `python3` where plain Debian/Ubuntu has no `python`, when pip may install
#     into it (pyenv, a container image: CI), else
#   * a new ./.venv made from it: Debian/Ubuntu's own Python is "externally managed" (PEP 668)
#     and refuses pip; making a venv needs the python3-venv package, installed when missing.
# Error policy: every step is quiet when it works; when one fails, its full output is shown and
# the script stops (set -e) with a one-line Dutch reason.

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
  echo "Dit moet als root (en sudo ontbreekt): $*" >&2; return 1; fi; }

# quietly WHAT CMD…: run CMD with its output kept aside; show it only when CMD fails.
quietly() {
  local what="$1" log rc=0
  shift
  log="$(mktemp)"
  "$@" >"$log" 2>&1 || rc=$?
  if [ "$rc" != 0 ]; then
    cat "$log" >&2
    echo "Mislukt: $what (exitcode $rc)." >&2
  fi
  rm -f "$log"
  return "$rc"
}

# Another apt or dpkg (unattended-upgrades, a colleague) may hold the lock: wait for it, up to
# 10 minutes. apt-get install honours DPkg::Lock::Timeout; apt-get update does not (its lists
# lock), so update is retried while it reports a lock.
APT_LOCK_WAIT=${APT_LOCK_WAIT:-600}
APT_RETRY_SLEEP=${APT_RETRY_SLEEP:-5}
_apt_update() {
  local waited=0 log
  log="$(mktemp)"
  until as_root apt-get -o DPkg::Lock::Timeout="$APT_LOCK_WAIT" update -qq >"$log" 2>&1; do
    if ! grep -q "Could not get lock\|Unable to lock" "$log" || [ "$waited" -ge "$APT_LOCK_WAIT" ]; then
      cat "$log" >&2
      rm -f "$log"
      echo "Mislukt: apt-get update." >&2
      return 1
    fi
    sleep "$APT_RETRY_SLEEP"
    waited=$((waited + (APT_RETRY_SLEEP > 0 ? APT_RETRY_SLEEP : 1)))
  done
  rm -f "$log"
}

# apt_install PACKAGE…: install the packages that are not installed yet (nothing to do: no
# apt at all, so a prepared machine stays fast).
apt_install() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$pkg")
  done
  [ "${#missing[@]}" = 0 ] && return 0
  echo "Installeren met apt: ${missing[*]}"
  _apt_update
  quietly "apt-get install ${missing[*]}" as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get -o DPkg::Lock::Timeout="$APT_LOCK_WAIT" install -y -qq "${missing[@]}"
}

_works() { [ -x "$1" ] && "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; }

# May pip install into this interpreter? Not when it is externally managed (PEP 668) or has no pip.
_pip_allowed() {
  "$1" - <<'EOF' 2>/dev/null
import importlib.util, os, sys, sysconfig
managed = os.path.exists(os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED"))
in_venv = sys.prefix != sys.base_prefix
sys.exit(0 if importlib.util.find_spec("pip") and (in_venv or not managed) else 1)
EOF
}

_make_venv() {
  rm -rf .venv
  if "$1" -m venv .venv >/dev/null 2>&1; then return 0; fi
  rm -rf .venv                  # a failed attempt leaves a venv without pip behind
  apt_install python3-venv      # Debian/Ubuntu ship venv's ensurepip separately
  quietly "$1 -m venv .venv" "$1" -m venv .venv
}

use_python() {
  local base candidate
  if [ -n "${VIRTUAL_ENV:-}" ] && _works "$VIRTUAL_ENV/bin/python"; then
    PY="$VIRTUAL_ENV/bin/python"
    return 0
  fi
  if _works .venv/bin/python && _pip_allowed .venv/bin/python; then
    PY=.venv/bin/python
    return 0
  fi
  base=""
  for candidate in python python3; do  # `python` may be missing, or an old one
    if _works "$(command -v "$candidate" || true)"; then base="$(command -v "$candidate")"; break; fi
  done
  if [ -z "$base" ]; then
    echo "Python 3.11 of nieuwer ontbreekt: installeer python3 (Debian 12 en Ubuntu 24.04 hebben het)." >&2
    return 1
  fi
  if _pip_allowed "$base"; then
    PY="$base"
    return 0
  fi
  echo "Virtuele omgeving .venv maken met $base"
  _make_venv "$base"
  PY=.venv/bin/python
}

# pip_install REQUIREMENTS-FILE: quiet when all is well (no root warning, no notes about
# configured locations); pip's full output when it fails.
pip_install() {
  PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1 \
    quietly "pip install -r $1" "$PY" -m pip install -q -r "$1"
}
