#!/usr/bin/env bash
# Slipway's published figures: time to roll back, rollouts per controller (heap, CPU, latency),
# start-up, and many Rollouts on one controller (the judge's decision quality is a pure benchmark
# that runs with the suite). Each starts its own local cluster on 127.0.0.1 and the controller in
# its own JVM; each prints its figures with the load and asserts generous regression bounds.
# They run one at a time (no parallel lanes), so that no figure shares the machine with another
# benchmark; .ci/run starts them once only the suite's real-node lane is left (or at its
# two-minute API-server outage), so that lane may share the machine with them: every bound scales
# with the load printed beside it. (No format check: the suite's own build makes it.)
#   e2e/bench.sh                                        # small: CI runs this, about 4 minutes
#   e2e/bench.sh -Dslipway.bench.rollouts=300 -Dslipway.bench.canaryRounds=3 -Dslipway.bench.rounds=20
#   e2e/bench.sh -Dtest=ScaleBenchmark -Dslipway.bench.scale=1000,5000,10000 -Dslipway.bench.burstAborts=20 -Djunit.jupiter.execution.timeout.default=120m   # the full scale run, by hand
#   e2e/bench.sh -Dtest=ShardBenchmark -Dslipway.bench.shardRollouts=3000                                   # three replicas, three shards, by hand
set -euo pipefail
cd "$(dirname "$0")/.."
bash e2e/setup.sh >/dev/null
log=$(mktemp)
# One reactor (the modules e2e needs are built, not installed; the plugin too: ShardBenchmark verifies
# the records with it): only the benchmarks run.
if ! mvn -B -pl e2e,controller/plugin -am verify -Dtest='RollbackBenchmark,CapacityBenchmark,StartupBenchmark,ScaleBenchmark,ShardBenchmark' \
    -Djunit.jupiter.execution.parallel.enabled=false -Dspotless.check.skip=true -Dslipway.bench.idleSeconds=5 -Dslipway.bench.shardRollouts=60 -Dsurefire.failIfNoSpecifiedTests=false "$@" >"$log" 2>&1; then
  tail -100 "$log"
  exit 1
fi
grep -E '^BENCH|^  [a-z0-9 ]|Tests run:.*in ' "$log" | grep -vE '^  (Pending|Ready|Canary|Paused|Promoted|Stable|RolledBack) '
rm -f "$log"
