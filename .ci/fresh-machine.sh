#!/usr/bin/env bash
# Makes this machine as near to a fresh one as it can be made, then runs .ci/run on a clean clone
# of this repository's HEAD and prints how long it took (the suite's budget there: 60 minutes).
# It removes the set-up's Debian packages (and their automatic dependencies) and moves the caches
# away (~/.cache/slipway, ~/.m2, Go's module and build caches, podman's storage) into
# $BACKUP (default /root/old-caches-<time>), which it never deletes. Java, Maven, Go and git stay:
# the clone and the run need them. Destructive to the machine's set-up, so it asks to be told:
#   .ci/fresh-machine.sh --yes-remove-packages
set -euo pipefail
[[ "${1:-}" == "--yes-remove-packages" ]] || { sed -n '2,8p' "$0"; exit 2; }
[[ $EUID -eq 0 ]] || { echo "run as root (apt)" >&2; exit 2; }
repo=$(cd "$(dirname "$0")/.." && pwd)
backup=${BACKUP:-/root/old-caches-$(date +%Y%m%d%H%M%S)}
export DEBIAN_FRONTEND=noninteractive
apt-get remove -y -qq prometheus lua5.1 jq podman containerd runc mmdebstrap iptables chromium redis-server \
  containernetworking-plugins stress-ng >/dev/null || true
apt-get autoremove -y -qq >/dev/null
mkdir -p "$backup"
for d in "$HOME/.cache/slipway" "$HOME/.m2" "$(go env GOMODCACHE)" "$(go env GOCACHE)" /var/lib/containers; do
  if [[ -e "$d" ]]; then mv "$d" "$backup/$(echo "$d" | tr / _)"; fi
done
echo "caches moved to $backup"
clone=$(mktemp -d /tmp/slipway-fresh-XXXXXX)
git clone -q "$repo" "$clone"
cd "$clone"
echo "fresh-machine CI on $(git log --oneline -1)"
start=$(date +%s)
rc=0
bash .ci/run || rc=$?
echo "fresh-machine CI: exit $rc after $(( $(date +%s) - start ))s"
exit $rc
