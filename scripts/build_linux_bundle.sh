#!/usr/bin/env bash
# Build the Linux one-folder bundle dist/companion/ with PyInstaller, from the project's
# environment (uv) plus PyInstaller, which uv adds for this run only (pyproject.toml stays
# as it is). Then, with --test, run the bundle's tests (tests/packaging, PACKAGING=1).
#
#   scripts/build_linux_bundle.sh            # build: dist/companion/companion
#   scripts/build_linux_bundle.sh --test     # build, then pytest -m packaging tests/packaging
#
# Needs: uv, and binutils (objdump: PyInstaller reads the shared libraries' dependencies;
# readelf and strip: debug information is stripped below).
# The tests need Xvfb, desktop-file-utils and appstream (see tests/packaging/test_bundle.py).
set -euo pipefail
cd "$(dirname "$0")/.."

PYINSTALLER_SPEC=${PYINSTALLER_SPEC:-"pyinstaller>=6.10,<7"}
export UV_LINK_MODE=${UV_LINK_MODE:-copy}
run_tests=0
for arg in "$@"; do
    case "$arg" in
        --test) run_tests=1 ;;
        *) echo "usage: $0 [--test]" >&2; exit 2 ;;
    esac
done

for tool in objdump readelf strip; do
    command -v "$tool" >/dev/null || {
        echo "build_linux_bundle: $tool not found: install binutils" >&2
        exit 1
    }
done

start=$(date +%s)
rm -rf dist/companion build/pyinstaller
uv run --locked --extra test --with "$PYINSTALLER_SPEC" \
    pyinstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller \
    packaging/pyinstaller/companion.spec
# Debug information only (a pyenv-built libpython carries ~17 MB of it), and only from
# the files that have it: PyInstaller's strip=True strips everything, which breaks the
# FFmpeg libraries of the PySide6 wheels ("ELF load command address/offset not
# page-aligned": no voicemail playback).
# (No `readelf | grep -q` here: with pipefail, grep quitting early fails the pipeline.)
stripped=0
while IFS= read -r -d '' file; do
    sections=$(readelf -S "$file" 2>/dev/null || true)
    if [[ $sections == *.debug_info* ]]; then
        strip --strip-debug "$file"
        stripped=$((stripped + 1))
    fi
done < <(find dist/companion -type f \( -name '*.so*' -o -perm -u+x \) -print0)
echo "== stripped the debug information of $stripped files"
end=$(date +%s)

echo "== bundle: dist/companion ($(du -sh dist/companion | cut -f1), $(find dist/companion -type f | wc -l) files), built in $((end - start)) s"
dist/companion/companion --version

if [ "$run_tests" = 1 ]; then
    PACKAGING=1 uv run --locked --extra test pytest -m packaging tests/packaging
fi
