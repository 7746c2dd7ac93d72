#!/bin/sh
# Makes the macOS disk image: the .app beside an /Applications link, compressed (UDZO).
#   pyinstaller --noconfirm --distpath dist --workpath build build.spec
#   installer/macos/make_dmg.sh            -> dist/hivemind-desktop-<version>.dmg
# Optional: CODESIGN_IDENTITY="Developer ID Application: ..." signs the app (hardened
# runtime) before it goes in; without it the app keeps PyInstaller's ad-hoc signature.
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

if [ -n "${CODESIGN_IDENTITY:-}" ]; then
  codesign --force --deep --options runtime --timestamp --sign "$CODESIGN_IDENTITY" "$APP"
  codesign --verify --deep --strict "$APP"
fi

OUT=dist/hivemind-desktop-$VERSION.dmg
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
rm -f "$OUT"
hdiutil create -volname "HiveMind Desktop" -srcfolder "$STAGE" -fs HFS+ -format UDZO -ov "$OUT"
hdiutil verify "$OUT"
echo "$OUT"
