#!/usr/bin/env bash
# Builds Traefik, a real Gateway API implementation for the gateway scenarios, from its Go module
# into the cache beside the control plane (not the repository):
#   $CACHE/gateway/traefik-$TRAEFIK_VERSION/traefik
# Idempotent: a built binary is reused as is.
#
# Why v3.6.12 and not the newest served v3.7.x: v3.7.13's module zip lacks its nested module
# ./pkg/config/dynamic/ext (a replace target; github.com/traefik/traefik/dynamic/ext is not served
# on its own), and the proxy refuses 15 of its dependencies (403), among them the pinned
# github.com/containous/go-http-auth and lego v5's DNS-provider SDKs. v3.6.12 resolves in full.
set -euo pipefail

TRAEFIK_VERSION="${TRAEFIK_VERSION:-3.6.12}"
CACHE="${SLIPWAY_CACHE:-$HOME/.cache/slipway}"
OUT="$CACHE/gateway/traefik-${TRAEFIK_VERSION}"
if [[ -x "$OUT/traefik" ]]; then
  echo "traefik v${TRAEFIK_VERSION} cached in $OUT"
  exit 0
fi
export GOSUMDB=off GOFLAGS=-mod=mod GOTOOLCHAIN=local
echo "building traefik v${TRAEFIK_VERSION} from its Go module (about 10 minutes on 2 cores)"
src=$(go mod download -json "github.com/traefik/traefik/v3@v${TRAEFIK_VERSION}" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
[[ -n "$src" && -f "$src/go.mod" ]] || { echo "gateway: github.com/traefik/traefik/v3@v${TRAEFIK_VERSION} did not download" >&2; exit 2; }
work="$CACHE/build/traefik-${TRAEFIK_VERSION}"
rm -rf "$work" && mkdir -p "$(dirname "$work")"
# A module's own replace directives apply only when it is the main module: build inside a copy.
cp -r "$src" "$work" && chmod -R u+w "$work"
mkdir -p "$OUT"
(cd "$work" && CGO_ENABLED=0 go build -trimpath \
  -ldflags "-s -w -X github.com/traefik/traefik/v3/pkg/version.Version=v${TRAEFIK_VERSION} -X github.com/traefik/traefik/v3/pkg/version.BuildDate=1970-01-01T00:00:00Z" \
  -o "$OUT/traefik.tmp" ./cmd/traefik)
mv "$OUT/traefik.tmp" "$OUT/traefik"
rm -rf "$work"
"$OUT/traefik" version | sed 's/^/  /'
echo "traefik built in $OUT"
