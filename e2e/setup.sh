#!/usr/bin/env bash
# Everything the tests and the demo need on a fresh Debian machine, installed if missing:
#   Debian packages: Prometheus, Lua 5.1, jq (analysis, Argo CD scripts); Chromium (the dashboard's
#     screenshots); podman, containerd, runc,
#     the CNI plugins, mmdebstrap, iptables, openssl (images and the real node)
#   podman set up for this host (runc; no default ulimits: this host drops CAP_SYS_RESOURCE)
#   the control plane, kubelet, helm, the pause image and Traefik, built from the Go module proxy
#   the Java base image for the controller and sample-app images, built from Debian packages
# Idempotent and quiet when everything is in place. Runs as root (apt, containers, the node).
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

need() { command -v "$1" >/dev/null 2>&1; }
missing=()
for c in java:openjdk-17-jdk-headless mvn:maven go:golang-go prometheus:prometheus promtool:prometheus lua5.1:lua5.1 jq:jq \
         podman:podman containerd:containerd runc:runc mmdebstrap:mmdebstrap iptables:iptables openssl:openssl ip:iproute2 \
         chromium:chromium redis-server:redis-server git:git; do
  need "${c%%:*}" || missing+=("${c#*:}")
done
[[ -x /usr/lib/cni/bridge ]] || missing+=(containernetworking-plugins)
if ((${#missing[@]})) && [[ $EUID -ne 0 ]]; then
  echo "setup: missing ${missing[*]}; run as root to install them (the tests that need them skip, saying why)" >&2
elif ((${#missing[@]})); then
  # A policy-rc.d keeps packages (prometheus, containerd) from starting system services on
  # install; a machine's own policy-rc.d is left alone.
  own_policy=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    own_policy=1
  fi
  echo "setup: installing ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends $(printf '%s\n' "${missing[@]}" | sort -u) >/dev/null
  if [[ "$own_policy" = 1 ]]; then rm -f /usr/sbin/policy-rc.d; fi
fi
if [[ $EUID -eq 0 && ! -e /etc/containers/containers.conf ]]; then
  mkdir -p /etc/containers
  printf '[containers]\ndefault_ulimits = []\n[engine]\nruntime = "runc"\n' > /etc/containers/containers.conf
fi

bash e2e/controlplane/build.sh
bash e2e/node/build.sh
bash e2e/gateway/build.sh
bash e2e/plugin/build-krew.sh
bash e2e/release/build-tools.sh >/dev/null
bash e2e/argocd/build.sh
if need mmdebstrap; then bash e2e/images/base-image.sh >/dev/null; fi
