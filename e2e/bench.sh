#!/usr/bin/env bash
# Slipway's published figures: time to roll back, and rollouts per controller (heap, CPU, latency).
# Each benchmark starts its own local cluster on 127.0.0.1 and the controller in its own JVM.
#   e2e/bench.sh                                        # small: CI runs this, about 3 minutes
#   e2e/bench.sh -Dslipway.bench.rollouts=300 -Dslipway.bench.canaryRounds=3 -Dslipway.bench.rounds=20
set -euo pipefail
cd "$(dirname "$0")/.."
bash e2e/controlplane/build.sh >/dev/null
mvn -B -q -DskipTests install
log=$(mktemp)
if ! mvn -B -pl e2e verify -Dtest='RollbackBenchmark,CapacityBenchmark' -Dsurefire.failIfNoSpecifiedTests=false "$@" >"$log" 2>&1; then
  tail -100 "$log"
  exit 1
fi
grep -E '^BENCH|^  [a-z]' "$log"
rm -f "$log"
