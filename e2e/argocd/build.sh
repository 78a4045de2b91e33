#!/usr/bin/env bash
# Builds Argo CD (one binary: argocd, argocd-server, argocd-repo-server and
# argocd-application-controller by argv[0]) from its Go module into the cache beside the control
# plane (not the repository):
#   $CACHE/argocd/argocd-$ARGOCD_VERSION/argocd
# Idempotent: a built binary is reused as is. About 4 minutes on 2 cores with a warm module cache.
#
# Why v3.2.11 (tried on 2026-11-26, Go 1.26.8):
# - v3.6.x needs Go 1.27, and its nested module github.com/argoproj/argo-cd/gitops-engine is not
#   served by the proxy ("all-failed");
# - v3.3.x and v3.4.x replace their gitops-engine with ./gitops-engine, a nested module that the
#   module zip leaves out; the standalone github.com/argoproj/gitops-engine at the pinned commit
#   lacks KubectlCmd.ManageServerSideDiffDryRuns, so v3.3.19 does not compile against it;
# - v3.2.12 does not compile as published (controller/cache/info.go calls
#   settings.ValidateExternalURL, which util/settings does not define);
# - v3.2.11 builds as published, its gitops-engine pseudo-version served.
set -euo pipefail

ARGOCD_VERSION="${ARGOCD_VERSION:-3.2.11}"
CACHE="${SLIPWAY_CACHE:-$HOME/.cache/slipway}"
OUT="$CACHE/argocd/argocd-${ARGOCD_VERSION}"
if [[ -x "$OUT/argocd" ]]; then
  echo "argocd v${ARGOCD_VERSION} cached in $OUT"
  exit 0
fi
export GOSUMDB=off GOFLAGS=-mod=mod GOTOOLCHAIN=local
echo "building argocd v${ARGOCD_VERSION} from its Go module"
src=$(go mod download -json "github.com/argoproj/argo-cd/v3@v${ARGOCD_VERSION}" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
[[ -n "$src" && -f "$src/go.mod" ]] || { echo "argocd: github.com/argoproj/argo-cd/v3@v${ARGOCD_VERSION} did not download" >&2; exit 2; }
work="$CACHE/build/argocd-${ARGOCD_VERSION}"
rm -rf "$work" && mkdir -p "$(dirname "$work")"
# A module's own replace directives apply only when it is the main module: build inside a copy.
cp -r "$src" "$work" && chmod -R u+w "$work"
mkdir -p "$OUT"
(cd "$work" && CGO_ENABLED=0 go build -trimpath \
  -ldflags "-s -w -X github.com/argoproj/argo-cd/v3/common.version=${ARGOCD_VERSION}" \
  -o "$OUT/argocd.tmp" ./cmd)
mv "$OUT/argocd.tmp" "$OUT/argocd"
# The CRDs (Application, AppProject, ApplicationSet) of the same version, for the tests to install.
cp -r "$work/manifests/crds" "$OUT/crds"
for name in argocd-server argocd-repo-server argocd-application-controller; do ln -sf argocd "$OUT/$name"; done
rm -rf "$work"
"$OUT/argocd" version --client | sed 's/^/  /'
echo "argocd built in $OUT"
