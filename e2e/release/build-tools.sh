#!/usr/bin/env bash
# Builds the release tools from their Go modules into the cache (not the repository):
#   $CACHE/build/release-tools-crane$CRANE_VERSION-cosign$COSIGN_VERSION/{crane,cosign}
# crane (go-containerregistry) pushes image tars and serves the test registry; cosign signs and
# attests images and verifies them, as users verify what they install. Prints the directory.
# Idempotent: seconds once built (about 4 minutes on 2 cores the first time, most of it cosign).
set -euo pipefail
CRANE_VERSION="${CRANE_VERSION:-0.22.1}"
COSIGN_VERSION="${COSIGN_VERSION:-2.6.5}"
CACHE="${SLIPWAY_CACHE:-$HOME/.cache/slipway}"
OUT="$CACHE/build/release-tools-crane${CRANE_VERSION}-cosign${COSIGN_VERSION}"
if [[ -x "$OUT/crane" && -x "$OUT/cosign" ]]; then
  echo "$OUT"
  exit 0
fi
mkdir -p "$OUT"
export GOTOOLCHAIN=local CGO_ENABLED=0
GOBIN="$OUT/.tmp" go install -trimpath -ldflags "-s -w" \
  "github.com/google/go-containerregistry/cmd/crane@v${CRANE_VERSION}" >&2
GOBIN="$OUT/.tmp" go install -trimpath \
  -ldflags "-s -w -X sigs.k8s.io/release-utils/version.gitVersion=v${COSIGN_VERSION}" \
  "github.com/sigstore/cosign/v2/cmd/cosign@v${COSIGN_VERSION}" >&2
mv "$OUT/.tmp/crane" "$OUT/.tmp/cosign" "$OUT/" && rmdir "$OUT/.tmp"
echo "$OUT"
