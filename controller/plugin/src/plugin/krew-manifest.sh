#!/usr/bin/env bash
# Prints the krew manifest for a built plugin archive:
#   controller/plugin/src/plugin/krew-manifest.sh controller/plugin/target/kubectl-slipway-VERSION.tar.gz [URI] > slipway.yaml
# URI defaults to the release download of that version. Install from a local archive with
#   kubectl krew install --manifest=slipway.yaml --archive=ARCHIVE
set -euo pipefail
archive=${1:?usage: krew-manifest.sh ARCHIVE [URI]}
version=$(basename "$archive" | sed -n 's/^kubectl-slipway-\(.*\)\.tar\.gz$/\1/p')
[[ -n "$version" ]] || { echo "krew-manifest.sh: not a plugin archive: $archive" >&2; exit 2; }
uri=${2:-https://github.com/slipway-dev/slipway/releases/download/v$version/$(basename "$archive")}
sha=$(sha256sum "$archive" | cut -d' ' -f1)
sed -e "s|@VERSION@|v$version|" -e "s|@URI@|$uri|" -e "s|@SHA256@|$sha|" "$(dirname "$0")/slipway.krew.yaml"
