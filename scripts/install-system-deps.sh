#!/bin/sh
# Installs the Debian/Ubuntu packages Qt and the test suite need, when some are missing.
# Usage: scripts/install-system-deps.sh [run|test|bench|windows]
set -eu
RUN_PKGS="libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libfreetype6 libdbus-1-3 \
libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0 \
libxcb-render-util0 libxcb-image0 libxcb-xkb1 libx11-xcb1"
# The kiosk's X11 session tests: xinit, setxkbmap (x11-xkb-utils), xset (x11-xserver-utils),
# wmctrl; useradd & co. (passwd) for fiche-desktop-kiosk-setup on a throwaway root.
# The AT-SPI test (tests/e2e/test_atspi.py): the accessibility bus (at-spi2-core), a private
# D-Bus session (dbus-run-session, via dbus-x11) and pyatspi for /usr/bin/python3 (not the venv).
# The screen-reader test (tests/e2e/test_orca.py): Orca itself, speech-dispatcher and espeak-ng.
# The printing test (tests/e2e/test_cups.py): CUPS and its PDF printer (cups-pdf).
# The kiosk's stuck-speech test (tests/e2e/test_kiosk_comes_back.py): a PulseAudio null sink.
TEST_PKGS="xvfb xdotool openbox x11-utils poppler-utils zbar-tools systemd libpulse0 minisign \
wmctrl xinit x11-xkb-utils x11-xserver-utils passwd at-spi2-core dbus-x11 python3-pyatspi \
cups cups-client printer-driver-cups-pdf orca speech-dispatcher speech-dispatcher-espeak-ng espeak-ng pulseaudio"
# make bench only: the outside start-up measure (benchmarks/xframe.py) on Xvfb, against the peers
# Zeal and Kiwix; valgrind counts the instructions to the first paint.
BENCH_PKGS="xvfb zeal kiwix valgrind"
# The Windows build and test lane under Wine (installer/windows/wine.sh; make windows, make test-windows).
WINDOWS_PKGS="wine wine64 msitools wixl gcc-mingw-w64-x86-64-win32"
case "${1:-run}" in
  test) PKGS="$RUN_PKGS $TEST_PKGS $WINDOWS_PKGS" ;;
  bench) PKGS="$RUN_PKGS $BENCH_PKGS" ;;
  windows) PKGS="$WINDOWS_PKGS" ;;
  *) PKGS="$RUN_PKGS" ;;
esac
command -v dpkg-query >/dev/null 2>&1 || { echo "Système non Debian : installez vous-même les bibliothèques de Qt ($PKGS)." >&2; exit 0; }
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "Paquets système manquants :$missing"
if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
$SUDO apt-get update -qq -o APT::Sandbox::User=root 2>/dev/null || $SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
