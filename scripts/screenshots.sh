#!/bin/sh
# Runs scripts/screenshots.py in a real X window: Xvfb 1920x1080 with the openbox window manager.
set -eu
cd "$(dirname "$0")/.."
DISPLAY_NUM=${DISPLAY_NUM:-:91}
Xvfb "$DISPLAY_NUM" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
XVFB=$!
trap 'kill $OPENBOX $XVFB 2>/dev/null || true' EXIT
sleep 1
DISPLAY=$DISPLAY_NUM openbox >/dev/null 2>&1 &
OPENBOX=$!
sleep 1
DISPLAY=$DISPLAY_NUM QT_QPA_PLATFORM=xcb .venv/bin/python scripts/screenshots.py "$@"
