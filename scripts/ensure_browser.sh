#!/usr/bin/env sh
# What the browser journeys need and a fresh machine lacks: Debian's Chromium and CJK fonts.
# Installed through apt-get as root, else through sudo; otherwise one line saying what to run,
# and a failure (the suite never skips its browser journeys).
set -eu
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
has_fonts() { command -v fc-list >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; }
[ -x "$CHROMIUM" ] && has_fonts && exit 0

install="apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk"
if [ "$(id -u)" = 0 ]; then
  echo "== installing Debian's chromium and fonts-noto-cjk for the browser journeys"
  sh -c "$install" >/dev/null
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  echo "== installing Debian's chromium and fonts-noto-cjk (sudo) for the browser journeys"
  sudo sh -c "$install" >/dev/null
else
  echo "The browser journeys need Debian's Chromium: run  sudo apt-get install chromium fonts-noto-cjk  (or skip them: make test PYTEST_ARGS=\"-m 'not e2e'\")" >&2
  exit 1
fi
[ -x "$CHROMIUM" ] || { echo "chromium was not installed at $CHROMIUM" >&2; exit 1; }
