# Sourced by scripts/demo and scripts/test: create .venv and keep it installed.
#   ensure_venv ""        -> pip install -e .
#   ensure_venv "[test]"  -> pip install -e '.[test]'
# The install is skipped when pyproject.toml is unchanged since the last one (a stamp in .venv).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${LIANXIN_VENV:-$ROOT/.venv}"

ensure_venv() {
    local extras="$1"
    local python="${PYTHON:-python3}"
    if ! command -v "$python" >/dev/null 2>&1; then
        echo "error: $python not found. Install Python 3.11 or newer:" >&2
        echo "  sudo apt-get install -y python3 python3-venv" >&2
        exit 1
    fi
    if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
        echo "error: Lianxin needs Python 3.11 or newer; $python is $("$python" -V 2>&1)." >&2
        exit 1
    fi
    if [ ! -x "$VENV/bin/python" ]; then
        if ! "$python" -c 'import venv, ensurepip' >/dev/null 2>&1; then
            local ver
            ver="$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
            echo "error: Python's venv module (with ensurepip) is missing. Install it with:" >&2
            echo "  sudo apt-get install -y python3-venv   # or python${ver}-venv" >&2
            exit 1
        fi
        echo "==> creating $VENV"
        rm -rf "$VENV"
        "$python" -m venv "$VENV"
    fi
    local digest stamp
    digest="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
    stamp="$VENV/.lianxin-installed${extras:+-test}"
    # A '.[test]' install also satisfies a plain '.' install.
    for s in "$stamp" "$VENV/.lianxin-installed-test"; do
        if [ -f "$s" ] && [ "$(cat "$s")" = "$digest" ]; then
            return 0
        fi
    done
    echo "==> installing Lianxin into $VENV (pip install -e '.${extras}')"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$ROOT${extras}"
    echo "$digest" > "$stamp"
}
