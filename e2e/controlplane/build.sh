#!/usr/bin/env bash
# Builds the real Kubernetes control-plane binaries (and etcd, KWOK) from the Go
# module proxy into a cache outside the repo, keyed by the pinned versions.
# Idempotent: a complete cache is reused as is.
#
# Layout of the result (what fabric8 kube-api-test expects, plus our extras):
#   $SLIPWAY_CACHE/k8s/<K8S_VERSION>-linux-amd64/{etcd,kube-apiserver,kubectl,
#        kube-controller-manager,kube-scheduler,kwok}
set -euo pipefail

K8S_VERSION="${K8S_VERSION:-1.32.4}"
ETCD_VERSION="${ETCD_VERSION:-3.5.16}"
KWOK_VERSION="${KWOK_VERSION:-0.8.0}"
GATEWAY_API_VERSION="${GATEWAY_API_VERSION:-1.4.0}"
CACHE="${SLIPWAY_CACHE:-$HOME/.cache/slipway}"
OUT="$CACHE/k8s/${K8S_VERSION}-linux-amd64"
STAMP="$OUT/.complete-k8s${K8S_VERSION}-etcd${ETCD_VERSION}-kwok${KWOK_VERSION}-gw${GATEWAY_API_VERSION}-stages1"

if [[ -f "$STAMP" ]]; then
  echo "control plane binaries cached in $OUT"
  exit 0
fi

export GOSUMDB=off GOFLAGS=-mod=mod GOTOOLCHAIN=local
minor="${K8S_VERSION#*.}"; minor="${minor%%.*}"; patch="${K8S_VERSION##*.}"
staging_version="v0.${minor}.${patch}"
work="$CACHE/build/k8s-${K8S_VERSION}"
mkdir -p "$work" "$OUT"

# k8s.io/kubernetes points its staging modules at ./staging with replace
# directives, which `go install pkg@version` refuses. Our own wrapper module
# replaces each staging module with its published v0.X.Y twin instead.
go mod download -json "k8s.io/kubernetes@v${K8S_VERSION}" > "$work/dl.json"
gomod=$(sed -n 's/.*"GoMod": "\(.*\)".*/\1/p' "$work/dl.json")
{
  echo "module slipway.dev/controlplane"
  echo "go 1.23"
  echo "require k8s.io/kubernetes v${K8S_VERSION}"
  grep -E '^\s*k8s.io/[a-z0-9-]+ => \./staging/' "$gomod" \
    | awk -v v="$staging_version" '{print "replace " $1 " => " $1 " " v}'
} > "$work/go.mod"
cat > "$work/tools.go" <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kubelet"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
GO
cd "$work"
go mod tidy -e >/dev/null 2>&1 || true
go mod download
# Version ldflags so `kubectl version` reports the real server version.
pkg=k8s.io/client-go/pkg/version
pkg2=k8s.io/component-base/version
ld="-s -w"
for p in $pkg $pkg2; do
  ld="$ld -X $p.gitVersion=v${K8S_VERSION} -X $p.gitMajor=1 -X $p.gitMinor=${minor} -X $p.gitTreeState=clean -X $p.buildDate=1970-01-01T00:00:00Z"
done
for cmd in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
  if [[ ! -x "$OUT/$cmd" ]]; then
    echo "building $cmd v${K8S_VERSION}"
    CGO_ENABLED=0 go build -trimpath -ldflags "$ld" -o "$OUT/$cmd.tmp" "k8s.io/kubernetes/cmd/$cmd"
    mv "$OUT/$cmd.tmp" "$OUT/$cmd"
  fi
done

# etcd: a wrapper main around the server module (etcdmain is its real entry point).
ew="$CACHE/build/etcd-${ETCD_VERSION}"
mkdir -p "$ew"
cat > "$ew/go.mod" <<GOMOD
module slipway.dev/etcdwrap
go 1.23
require go.etcd.io/etcd/server/v3 v${ETCD_VERSION}
GOMOD
cat > "$ew/main.go" <<'GO'
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
if [[ ! -x "$OUT/etcd" ]]; then
  echo "building etcd v${ETCD_VERSION}"
  (cd "$ew" && go mod tidy && CGO_ENABLED=0 go build -trimpath -o "$OUT/etcd.tmp" . && mv "$OUT/etcd.tmp" "$OUT/etcd")
fi

if [[ ! -x "$OUT/kwok" ]]; then
  echo "building kwok v${KWOK_VERSION}"
  GOBIN="$OUT" CGO_ENABLED=0 go install "sigs.k8s.io/kwok/cmd/kwok@v${KWOK_VERSION}"
fi

# Gateway API standard CRDs, from the module fabric8 7.5.2's model was generated from.
gw=$(go mod download -json "sigs.k8s.io/gateway-api@v${GATEWAY_API_VERSION}" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
mkdir -p "$OUT/gateway-api"
cp "$gw"/config/crd/standard/*.yaml "$OUT/gateway-api/"
chmod u+w "$OUT/gateway-api/"*.yaml

# KWOK's stock "fast" stages: nodes initialise, pods go Running and Ready at once.
kw=$(go mod download -json "sigs.k8s.io/kwok@v${KWOK_VERSION}" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
: > "$OUT/kwok-stages.yaml"
for f in "$kw"/kustomize/stage/node/fast/node-initialize.yaml "$kw"/kustomize/stage/node/heartbeat/node-heartbeat.yaml \
         "$kw"/kustomize/stage/pod/fast/pod-ready.yaml "$kw"/kustomize/stage/pod/fast/pod-complete.yaml \
         "$kw"/kustomize/stage/pod/fast/pod-delete.yaml; do
  { echo "---"; cat "$f"; } >> "$OUT/kwok-stages.yaml"
done

touch "$STAMP"
echo "control plane binaries built in $OUT"
