#!/bin/sh
# Makes the macOS disk image: the .app beside an /Applications link, compressed (UDZO).
#   pyinstaller --noconfirm --distpath dist --workpath build build.spec
#   installer/macos/make_dmg.sh            -> dist/hivemind-desktop-<version>-<arch>.dmg
# <arch> is the app's own (arm64 or x86_64): PyInstaller builds for the machine it runs on,
# so the workflow builds once on Apple Silicon and once on Intel.
# With CODESIGN_IDENTITY="Developer ID Application: ..." the app is signed inside out with
# the hardened runtime (sign_app.sh) and so is the image; notarize.sh then notarizes and
# staples it. Without it the app keeps PyInstaller's ad-hoc signature (an unsigned build).
# Usage: installer/macos/make_dmg.sh [path/to/HiveMind Desktop.app]
set -eu
cd "$(dirname "$0")/../.."

APP=${1:-"dist/HiveMind Desktop.app"}
die() { echo "make_dmg.sh: $*" >&2; exit 1; }
[ -d "$APP" ] || die "'$APP' not found: build it first with 'pyinstaller build.spec'"
command -v hdiutil >/dev/null || die "hdiutil not found: run this on macOS"
VERSION=$(/usr/libexec/PlistBuddy -c 'Print :CFBundleShortVersionString' "$APP/Contents/Info.plist") \
  || die "cannot read the version from $APP/Contents/Info.plist"
[ "$(/usr/libexec/PlistBuddy -c 'Print :LSUIElement' "$APP/Contents/Info.plist")" = true ] \
  || die "$APP is not tray-only (LSUIElement): build it from build.spec"
ARCH=$(lipo -archs "$APP/Contents/MacOS/hivemind-desktop" | tr ' ' '-')

installer/macos/sign_app.sh "$APP"

OUT=dist/hivemind-desktop-$VERSION-$ARCH.dmg
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
rm -f "$OUT"
# hdiutil fails now and then with "Resource busy" on hosted runners (a volume the
# system is still indexing): retry a few times before giving up.
tries=0
until hdiutil create -volname "HiveMind Desktop" -srcfolder "$STAGE" -fs HFS+ -format UDZO -ov "$OUT"; do
  tries=$((tries + 1))
  [ "$tries" -lt 5 ] || die "hdiutil create kept failing"
  echo "hdiutil create failed (try $tries): retrying in 10 s" >&2
  sleep 10
done
hdiutil verify "$OUT"
if [ -n "${CODESIGN_IDENTITY:-}" ]; then
  codesign --force --timestamp --sign "$CODESIGN_IDENTITY" "$OUT"
fi
echo "$OUT"
