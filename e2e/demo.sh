#!/usr/bin/env bash
# The Slipway demo: a local cluster, the controller, a good canary to Stable, a bad one rolled back.
# Everything runs on 127.0.0.1 and is torn down on exit or Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
bash e2e/controlplane/build.sh
mvn -B -q -DskipTests install
mvn -B -q -pl e2e dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile=target/demo.classpath
exec java -cp "e2e/target/classes:$(cat e2e/target/demo.classpath)" dev.slipway.e2e.demo.Demo "$@"
