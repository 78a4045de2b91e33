#!/usr/bin/env bash
# The test suite on an oversubscribed machine: stress-ng keeps CPU hogs running beside
# `mvn -B verify` (two per core unless BUSY_HOGS says otherwise; the suite itself keeps the load
# near 5 on 2 cores), so every timeout and every negative check is tried under load (they scale
# with dev.slipway.testing.TestTime and Never).
#   [BUSY_HOGS=N] e2e/busy-verify.sh [extra maven args]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v stress-ng >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends stress-ng >/dev/null; }
hogs_n=${BUSY_HOGS:-$((2 * $(nproc)))}
stress-ng --cpu "$hogs_n" --quiet &
hogs=$!
trap 'kill "$hogs" 2>/dev/null || true' EXIT
sleep 60   # let the load average (which TestTime reads) climb
echo "load average with $hogs_n CPU hogs on $(nproc) cores: $(cut -d' ' -f1-3 /proc/loadavg)"
start=$(date +%s)
rc=0
mvn -B verify "$@" || rc=$?
echo "mvn -B verify beside stress-ng --cpu $hogs_n: exit $rc after $(( $(date +%s) - start ))s; load average now $(cut -d' ' -f1-3 /proc/loadavg)"
exit $rc
