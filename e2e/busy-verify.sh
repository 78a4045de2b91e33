#!/usr/bin/env bash
# The test suite on an oversubscribed machine: stress-ng keeps 8 CPU hogs running beside
# `mvn -B verify`, so every timeout is tried under load (they scale with dev.slipway.testing.TestTime).
#   e2e/busy-verify.sh [extra maven args]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v stress-ng >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends stress-ng >/dev/null; }
stress-ng --cpu 8 --quiet &
hogs=$!
trap 'kill "$hogs" 2>/dev/null || true' EXIT
sleep 60   # let the load average (which TestTime reads) climb
echo "load average with 8 CPU hogs on $(nproc) cores: $(cut -d' ' -f1-3 /proc/loadavg)"
start=$(date +%s)
rc=0
mvn -B verify "$@" || rc=$?
echo "mvn -B verify beside stress-ng --cpu 8: exit $rc after $(( $(date +%s) - start ))s; load average now $(cut -d' ' -f1-3 /proc/loadavg)"
exit $rc
