#!/usr/bin/env bash
# Builds what a real node and the install tests need, from the Go module proxy, into the cache
# beside the control plane (run e2e/controlplane/build.sh first; it reuses that wrapper module):
#   kubelet     the same Kubernetes version as the control plane
#   pause       the pod sandbox image (no registry here), as a docker-archive tar
#   helm        helm.sh/helm/v3, for the chart's lint and install tests
# containerd, runc and the CNI plugins come from Debian's packages (.ci/run installs them).
# Idempotent: a complete cache is reused as is.
set -euo pipefail

K8S_VERSION="${K8S_VERSION:-1.32.4}"
HELM_VERSION="${HELM_VERSION:-3.22.0}"
CACHE="${SLIPWAY_CACHE:-$HOME/.cache/slipway}"
OUT="$CACHE/k8s/${K8S_VERSION}-linux-amd64"
STAMP="$OUT/.complete-node-helm${HELM_VERSION}-pause2-helmk8s"
if [[ -f "$STAMP" ]]; then
  echo "node binaries cached in $OUT"
  exit 0
fi
work="$CACHE/build/k8s-${K8S_VERSION}"
[[ -f "$work/go.mod" ]] || { echo "node: build the control plane first (e2e/controlplane/build.sh)" >&2; exit 2; }
export GOSUMDB=off GOFLAGS=-mod=mod GOTOOLCHAIN=local

minor="${K8S_VERSION#*.}"; minor="${minor%%.*}"
ld="-s -w"
for p in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
  ld="$ld -X $p.gitVersion=v${K8S_VERSION} -X $p.gitMajor=1 -X $p.gitMinor=${minor} -X $p.gitTreeState=clean -X $p.buildDate=1970-01-01T00:00:00Z"
done
if [[ ! -x "$OUT/kubelet" ]]; then
  echo "building kubelet v${K8S_VERSION}"
  # A control-plane cache from before kubelet was in its tools.go: add it there.
  if ! grep -q 'cmd/kubelet' "$work/tools.go"; then
    sed -i 's|^import (|import (\n\t_ "k8s.io/kubernetes/cmd/kubelet"|' "$work/tools.go"
    (cd "$work" && go mod tidy -e >/dev/null 2>&1 || true)
  fi
  (cd "$work" && go build -trimpath -ldflags "$ld" -o "$OUT/kubelet.tmp" k8s.io/kubernetes/cmd/kubelet)
  mv "$OUT/kubelet.tmp" "$OUT/kubelet"
fi

# The sandbox every pod starts with: a static process that waits for a signal and reaps orphans.
pw="$CACHE/build/pause"
mkdir -p "$pw"
cat > "$pw/go.mod" <<'GOMOD'
module slipway.dev/pause
go 1.23
GOMOD
cat > "$pw/main.go" <<'GO'
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	sig := make(chan os.Signal, 8)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM, syscall.SIGCHLD)
	for s := range sig {
		if s != syscall.SIGCHLD {
			os.Exit(0)
		}
		for {
			var ws syscall.WaitStatus
			if pid, _ := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil); pid <= 0 {
				break
			}
		}
	}
}
GO
if [[ ! -s "$OUT/pause.tar" ]]; then
  echo "building the pause image"
  img="$pw/image"; rm -rf "$img"; mkdir -p "$img/rootfs"
  (cd "$pw" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$img/rootfs/pause" .)
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$img/rootfs" -cf "$img/layer.tar" pause
  diff_id=$(sha256sum "$img/layer.tar" | cut -d' ' -f1)
  mv "$img/layer.tar" "$img/$diff_id.tar"
  printf '{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z","config":{"Entrypoint":["/pause"],"User":"65535:65535"},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' "$diff_id" > "$img/config.json"
  cid=$(sha256sum "$img/config.json" | cut -d' ' -f1)
  mv "$img/config.json" "$img/$cid.json"
  printf '[{"Config":"%s.json","RepoTags":["localhost/slipway/pause:3.10"],"Layers":["%s.tar"]}]\n' "$cid" "$diff_id" > "$img/manifest.json"
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$img" -cf "$OUT/pause.tar.tmp" manifest.json "$cid.json" "$diff_id.tar"
  mv "$OUT/pause.tar.tmp" "$OUT/pause.tar"
fi

# Helm's Makefile stamps its version and the Kubernetes version it assumes for `helm template`
# and `helm lint`; without them it assumes Kubernetes 1.20.
helm_ok() { [[ -x "$OUT/helm" ]] && "$OUT/helm" version --short 2>/dev/null | grep -q "v${HELM_VERSION}"; }
if ! helm_ok; then
  echo "building helm v${HELM_VERSION}"
  hw="$CACHE/build/helm-${HELM_VERSION}"
  mkdir -p "$hw"
  hl="-s -w -X helm.sh/helm/v3/internal/version.version=v${HELM_VERSION}"
  for p in helm.sh/helm/v3/pkg/lint/rules helm.sh/helm/v3/pkg/chartutil; do
    hl="$hl -X $p.k8sVersionMajor=1 -X $p.k8sVersionMinor=${minor}"
  done
  (cd "$hw" && GOBIN="$hw/bin" CGO_ENABLED=0 go install -trimpath -ldflags "$hl" "helm.sh/helm/v3/cmd/helm@v${HELM_VERSION}")
  mv "$hw/bin/helm" "$OUT/helm"
fi

touch "$STAMP"
echo "node binaries built in $OUT"
