#!/usr/bin/env bash
# The Slipway demo: a local cluster, the controller, a good canary to Stable, a bad one rolled back.
# Installs what it needs first (e2e/setup.sh, as CI does). Where a real node can run, Slipway is
# installed with its Helm chart and the sample app runs as containers. Everything runs on
# 127.0.0.1 (and the pod bridge the demo makes) and is torn down on exit or Ctrl-C.
#   e2e/demo.sh [--keep]      SLIPWAY_DEMO_NODE=kwok e2e/demo.sh   (fake pods, no containers)
set -euo pipefail
cd "$(dirname "$0")/.."
bash e2e/setup.sh
mvn -B -q -DskipTests install
mvn -B -q -pl e2e dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile=target/demo.classpath
exec java -cp "e2e/target/classes:$(cat e2e/target/demo.classpath)" dev.slipway.e2e.demo.Demo "$@"
