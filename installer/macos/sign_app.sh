#!/bin/sh
# Signs the .app for Developer ID distribution, inside out, with the hardened runtime:
#   CODESIGN_IDENTITY="Developer ID Application: NAME (TEAMID)" installer/macos/sign_app.sh APP
# Apple advises against `codesign --deep` for signing: it signs nested code with the outer
# bundle's options. Each Mach-O file is signed first (deepest paths first), then each nested
# .framework bundle, then the app itself with the entitlements. Without CODESIGN_IDENTITY
# nothing is done (PyInstaller's ad-hoc signature stays: an unsigned build).
set -eu
APP=${1:?usage: sign_app.sh PATH/TO/App.app}
ENTITLEMENTS="$(cd "$(dirname "$0")" && pwd)/entitlements.plist"
if [ -z "${CODESIGN_IDENTITY:-}" ]; then
  echo "sign_app.sh: CODESIGN_IDENTITY not set: leaving $APP unsigned (ad-hoc)"
  exit 0
fi
sign() {
  codesign --force --timestamp --options runtime --entitlements "$ENTITLEMENTS" \
    --sign "$CODESIGN_IDENTITY" "$1"
}
# 1. every Mach-O file (libraries, Python extensions, helper executables), deepest first
find "$APP/Contents" -type f ! -path "*/_CodeSignature/*" -print | awk -F/ '{print NF"\t"$0}' \
  | sort -rn | cut -f2- | while IFS= read -r f; do
  if file -b "$f" | grep -q "Mach-O"; then sign "$f"; fi
done
# 2. nested frameworks (Qt), deepest first, once their contents are signed
find "$APP/Contents" -type d -name "*.framework" -print | awk -F/ '{print NF"\t"$0}' \
  | sort -rn | cut -f2- | while IFS= read -r fw; do sign "$fw"; done
# 3. the app bundle last
sign "$APP"
codesign --verify --strict --verbose=2 "$APP"  # verifying with --deep is fine (signing is not)
codesign --verify --deep --strict "$APP"
echo "signed $APP as $CODESIGN_IDENTITY"
