#!/usr/bin/env bash
# Everything the mobile app is checked with, in order. Works on a fresh clone:
#   bash mobile/scripts/test.sh
# KENNEL_BIN=/path/to/kennel skips building the API for the end-to-end tests.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }
started=$SECONDS

step "chromium"
if [ ! -x /usr/bin/chromium ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
fi
/usr/bin/chromium --version 2>/dev/null || true

step "npm ci"
npm ci --no-audit --no-fund

step "typescript"
npx tsc --noEmit

step "lint"
npx eslint . --max-warnings 0

step "generated API types are current"
npm run --silent check:api

step "eas.json"
npm run --silent check:eas

step "unit tests"
npx jest --ci

step "web export"
api_port=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
rm -rf dist
APP_ENV=local EXPO_PUBLIC_API_URL="http://127.0.0.1:${api_port}" npx expo export --platform web --output-dir dist --clear

step "secrets in the web bundle"
# Also the assistant settings the end-to-end tests give the API (server-side only).
SCAN_BUNDLE_FORBID="e2e-not-a-secret" node scripts/scan-bundle.mjs dist

step "end to end"
E2E_API_PORT="$api_port" node e2e/run.mjs

echo "mobile: all checks passed in $((SECONDS - started)) s"
