#!/usr/bin/env bash
# Builds krew, kubectl's plugin manager, from its Go module into the cache (not the repository):
#   $CACHE/build/krew-$KREW_VERSION/kubectl-krew
# The plugin tests install Slipway's plugin archive with it, as users do. Idempotent.
set -euo pipefail
KREW_VERSION="${KREW_VERSION:-0.4.3}"
CACHE="${SLIPWAY_CACHE:-$HOME/.cache/slipway}"
OUT="$CACHE/build/krew-${KREW_VERSION}"
if [[ -x "$OUT/kubectl-krew" ]]; then
  echo "krew v${KREW_VERSION} cached in $OUT"
  exit 0
fi
export GOSUMDB=off GOFLAGS=-mod=mod GOTOOLCHAIN=local
src=$(go mod download -json "sigs.k8s.io/krew@v${KREW_VERSION}" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
[[ -n "$src" && -f "$src/go.mod" ]] || { echo "krew: sigs.k8s.io/krew@v${KREW_VERSION} did not download" >&2; exit 2; }
work="$CACHE/build/krew-src-${KREW_VERSION}"
rm -rf "$work" && mkdir -p "$OUT"
cp -r "$src" "$work" && chmod -R u+w "$work"
(cd "$work" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X sigs.k8s.io/krew/internal/version.gitTag=v${KREW_VERSION}" \
  -o "$OUT/kubectl-krew.tmp" ./cmd/krew)
mv "$OUT/kubectl-krew.tmp" "$OUT/kubectl-krew"
rm -rf "$work"
echo "krew built in $OUT"
