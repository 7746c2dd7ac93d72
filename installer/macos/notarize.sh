#!/bin/sh
# Notarizes and staples the signed disk image, so Gatekeeper opens it on macOS 10.15+:
#   installer/macos/notarize.sh dist/hivemind-desktop-<version>-<arch>.dmg
# Credentials (repository secrets in the workflow), either an App Store Connect API key:
#   NOTARY_KEY_PATH (the .p8 file), NOTARY_KEY_ID, NOTARY_ISSUER
# or an Apple ID with an app-specific password:
#   NOTARY_APPLE_ID, NOTARY_TEAM_ID, NOTARY_PASSWORD
# Without either, nothing is done and the image stays un-notarized (README: "Opening an
# unsigned build").
set -eu
DMG=${1:?usage: notarize.sh PATH/TO/image.dmg}
if [ -n "${NOTARY_KEY_PATH:-}" ]; then
  set -- --key "$NOTARY_KEY_PATH" --key-id "$NOTARY_KEY_ID" --issuer "$NOTARY_ISSUER"
elif [ -n "${NOTARY_APPLE_ID:-}" ]; then
  set -- --apple-id "$NOTARY_APPLE_ID" --team-id "$NOTARY_TEAM_ID" --password "$NOTARY_PASSWORD"
else
  echo "notarize.sh: no notarization credentials: $DMG is not notarized"
  exit 0
fi
xcrun notarytool submit "$DMG" "$@" --wait --timeout 30m
xcrun stapler staple "$DMG"
xcrun stapler validate "$DMG"
spctl --assess --type open --context context:primary-signature --verbose=2 "$DMG"
echo "notarized and stapled $DMG"
