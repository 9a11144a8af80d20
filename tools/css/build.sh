#!/usr/bin/env bash
# Build components/static/app.css and icons.woff2 (run from the repository root by `make css`).
set -euo pipefail
cd "$(dirname "$0")"
ROOT=../..
NG=$($ROOT/.venv/bin/python -c "import nicegui, os; print(os.path.dirname(nicegui.__file__))")
[ -x node_modules/.bin/tailwindcss ] || npm install --no-audit --no-fund
[ -d pydeps/brotli ] || [ -f pydeps/brotli.py ] || $ROOT/.venv/bin/pip install -q --target pydeps brotli==1.1.0
npx tailwindcss -i input.css -o /tmp/ct-app.css --minify
# Tailwind's fallback "properties" layer would come after NiceGUI's declared layers and beat the utilities.
sed 's/@layer properties{/@layer theme{/' /tmp/ct-app.css > $ROOT/components/static/app.css
PYTHONPATH=pydeps $ROOT/.venv/bin/python build_icons.py "$NG/static/fonts/0c19a63c7528cc1a.woff2" $ROOT/components/static/icons.woff2
wc -c $ROOT/components/static/app.css $ROOT/components/static/icons.woff2
