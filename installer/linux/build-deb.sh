#!/bin/sh
# Builds dist/fiche-desktop_VERSION_ARCH.deb from the frozen folder (make frozen).
# Usage: installer/linux/build-deb.sh FROZEN_DIR OUTPUT_DIR
set -eu
FROZEN=${1:-dist/fiche-desktop}
OUT=${2:-dist}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
VERSION=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$ROOT/src/fiche_desktop/__init__.py")
ARCH=$(dpkg --print-architecture)
[ -x "$FROZEN/fiche-desktop" ] || { echo "Dossier figé introuvable : $FROZEN (lancez make frozen)" >&2; exit 1; }
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
  "$STAGE/usr/share/icons/hicolor/256x256/apps" "$STAGE/usr/share/icons/hicolor/scalable/apps" \
  "$STAGE/lib/systemd/system" "$STAGE/etc/fiche-desktop" "$STAGE/usr/lib/fiche-desktop" "$STAGE/etc/pam.d" "$STAGE/usr/share/doc/fiche-desktop" \
  "$STAGE/usr/sbin" "$STAGE/usr/share/fiche-desktop/kiosk"
cp -a "$FROZEN" "$STAGE/opt/fiche-desktop"
ln -s /opt/fiche-desktop/fiche-desktop "$STAGE/usr/bin/fiche-desktop"
install -m 644 "$HERE/fiche-desktop.desktop" "$STAGE/usr/share/applications/"
install -m 644 "$ROOT/resources/icons/fiche-desktop.png" "$STAGE/usr/share/icons/hicolor/256x256/apps/"
install -m 644 "$ROOT/resources/icons/fiche-desktop.svg" "$STAGE/usr/share/icons/hicolor/scalable/apps/"
K="$ROOT/installer/kiosk"
for unit in fiche-desktop-kiosk.service fiche-desktop-kiosk-x11.service fiche-desktop-kiosk-failure@.service; do
  install -m 644 "$K/$unit" "$STAGE/lib/systemd/system/"
done
for script in fiche-desktop-kiosk-session fiche-desktop-kiosk-x11-session fiche-desktop-kiosk-xinitrc; do
  install -m 755 "$K/$script" "$STAGE/usr/lib/fiche-desktop/"
done
install -m 755 "$K/fiche-desktop-kiosk-setup" "$STAGE/usr/sbin/"
install -m 644 "$K/openbox-rc.xml" "$STAGE/usr/share/fiche-desktop/kiosk/"
install -m 644 "$ROOT/installer/kiosk/pam-fiche-desktop-kiosk" "$STAGE/etc/pam.d/fiche-desktop-kiosk"
install -m 644 "$ROOT/installer/kiosk/kiosk.toml.example" "$STAGE/etc/fiche-desktop/kiosk.toml.example"
install -m 644 "$ROOT/resources/fonts/OFL.txt" "$STAGE/usr/share/doc/fiche-desktop/OFL-Andika.txt"
SIZE=$(du -sk "$STAGE" | cut -f1)
cat > "$STAGE/DEBIAN/control" <<CONTROL
Package: fiche-desktop
Version: $VERSION
Architecture: $ARCH
Maintainer: Fiche Desktop <contact@fiche-desktop.invalid>
Installed-Size: $SIZE
Depends: libc6 (>= 2.34), libegl1, libgl1, libfontconfig1, libfreetype6, libxkbcommon0, libxkbcommon-x11-0, libdbus-1-3, libx11-xcb1, libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1, libxcb-shape0, libxcb-xinerama0, libxcb-randr0, libxcb-render-util0, libxcb-image0, libxcb-xkb1
Recommends: cups-client, libwayland-client0, libwayland-cursor0, libwayland-egl1
Suggests: cage, xinit, xserver-xorg-core, x11-xkb-utils, x11-xserver-utils, openbox, speech-dispatcher, espeak-ng
Section: misc
Priority: optional
Homepage: https://fiche-desktop.invalid
Description: fiches de référence hors ligne sur les soins primaires coordonnés
 Fiche Desktop présente les dispositifs de soins primaires et de coordination
 (ESP, ESS, MSP, CDS, CPTS, DAC, SAS, télésanté, DMP, MSSanté, e-parcours) mot
 pour mot d'après leurs sources, en version standard et en version FALC
 (facile à lire et à comprendre). Impression PDF, comparaison, mode kiosque.
CONTROL
# /etc/fiche-desktop/kiosk.toml.example is an example, never a conffile the admin must merge.
mkdir -p "$OUT"
DEB="$OUT/fiche-desktop_${VERSION}_${ARCH}.deb"
dpkg-deb --root-owner-group -Zxz --build "$STAGE" "$DEB" >/dev/null
echo "$DEB"
