#!/usr/bin/env bash
# Refresh the German translation source from the code, for developers:
#
#   scripts/update_translations.sh [TS_FILE]
#
# Runs PySide6's lupdate over the app's Python modules (companion/**/*.py) into
# resources/translations/companion_de.ts (or TS_FILE), keeping the translations there,
# adding new texts as unfinished and dropping texts the code no longer has. No line
# numbers (-locations none): they would change the file on every edit of the code.
#
# lupdate only sees tr(...) and QCoreApplication.translate("Context", "literal"); the
# modules' little helpers such as tray.py's `def _tr(text): return
# QCoreApplication.translate("Tray", text)` it cannot follow. So this script first
# writes their calls, _tr("literal"), as translate("Tray", "literal") into a scratch
# file that lupdate reads with the sources.
#
# Then translate what is new (Qt Linguist, or a text editor: drop type="unfinished"
# from each <translation> you fill in) and check with:
#   "$(.venv/bin/python -c 'import PySide6,os;print(os.path.dirname(PySide6.__file__))')/lrelease" \
#       resources/translations/companion_de.ts -qm /dev/null
# tests/ui/test_translations.py fails while a text is missing or unfinished.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
target="${1:-resources/translations/companion_de.ts}"

python="${PYTHON:-}"
if [[ -z "$python" ]]; then
    if [[ -x .venv/bin/python ]]; then
        python=.venv/bin/python
    elif [[ -x .venv/Scripts/python.exe ]]; then
        python=.venv/Scripts/python.exe
    else
        python=python3
    fi
fi
pyside="$("$python" -c 'import os, PySide6; print(os.path.dirname(PySide6.__file__))')"
lupdate=""
for candidate in "$pyside/lupdate" "$pyside/lupdate.exe" "$pyside/Qt/libexec/lupdate"; do
    if [[ -x "$candidate" ]]; then
        lupdate="$candidate"
        break
    fi
done
if [[ -z "$lupdate" ]]; then
    lupdate="$(command -v pyside6-lupdate || command -v lupdate || true)"
fi
if [[ -z "$lupdate" ]]; then
    echo "no lupdate found (it comes with PySide6)" >&2
    exit 1
fi

# Every module of the app: the windows in companion/ui, and the rest that says something
# to the user (app.py, desktop/). Sorted, so the .ts keeps its order from run to run.
sources=()
while IFS= read -r file; do  # not mapfile: macOS still ships bash 3.2
    sources+=("$file")
done < <(find companion -name '*.py' -not -path '*/__pycache__/*' | LC_ALL=C sort)
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

"$python" - "${sources[@]}" >"$scratch/helper_calls.py" <<'EOF'
"""Print translate("Context", "text") for each call of a module's translate helper."""

import ast
import sys


def helpers(tree: ast.Module) -> dict[str, str]:
    """Module-level functions whose body is `return ....translate("Context", param)`."""
    found: dict[str, str] = {}
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef) or len(node.args.args) != 1:
            continue
        param = node.args.args[0].arg
        for statement in node.body:
            if not isinstance(statement, ast.Return):
                continue
            call = statement.value
            if (
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Attribute)
                and call.func.attr == "translate"
                and len(call.args) == 2
                and isinstance(call.args[0], ast.Constant)
                and isinstance(call.args[0].value, str)
                and isinstance(call.args[1], ast.Name)
                and call.args[1].id == param
            ):
                found[node.name] = call.args[0].value
    return found


print("from PySide6.QtCore import QCoreApplication")
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as file:
        tree = ast.parse(file.read(), path)
    names = helpers(tree)
    if not names:
        continue
    print(f"\n# {path}")
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in names
        and len(node.args) == 1
    ]
    for node in sorted(calls, key=lambda call: (call.lineno, call.col_offset)):
        text = node.args[0]
        if isinstance(text, ast.Constant) and isinstance(text.value, str):
            context = names[node.func.id]
            print(f"QCoreApplication.translate({context!r}, {text.value!r})")
        else:
            print(f"{path}:{node.lineno}: {node.func.id}() of no literal text", file=sys.stderr)
EOF

"$lupdate" "${sources[@]}" "$scratch/helper_calls.py" \
    -source-language en -target-language de -no-obsolete -locations none -ts "$target"
