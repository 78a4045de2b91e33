#!/usr/bin/env bash
# One command for the images, on a clean checkout:
#   e2e/images/build.sh [extra maven args]
# builds controller/target/slipway-controller-image.tar and samples/target/slipway-sample-app-image.tar
# (docker-archive tars: `podman load -i`, `ctr images import`, `skopeo copy docker-archive:...`),
# each with its SBOM (*-image.sbom.json) and digest, and prints their sizes.
# Base image: SLIPWAY_IMAGE_BASE if set (e.g. eclipse-temurin:17-jre, or tar:///path); otherwise,
# where mmdebstrap exists, one built here from Debian packages (no registry needed); otherwise the
# public eclipse-temurin:17-jre.
set -euo pipefail
cd "$(dirname "$0")/../.."

base="${SLIPWAY_IMAGE_BASE:-}"
if [[ -z "$base" ]] && command -v mmdebstrap >/dev/null; then
  base="tar://$(bash e2e/images/base-image.sh)"
fi
args=(-B -q -Pimage -pl controller,samples -am package -DskipTests)
[[ -n "$base" ]] && args+=("-Dslipway.image.base=$base")
mvn "${args[@]}" "$@"

for t in controller/target/slipway-controller-image.tar samples/target/slipway-sample-app-image.tar; do
  size=$(du -m "$t" | cut -f1)
  echo "image $(basename "$t" .tar): ${size} MiB compressed ($t, digest $(cat "${t%.tar}.digest"), SBOM ${t%.tar}.sbom.json)"
done
if command -v podman >/dev/null; then
  for t in controller/target/slipway-controller-image.tar samples/target/slipway-sample-app-image.tar; do
    name=$(podman load -q -i "$t" | sed -n 's/^Loaded image: //p' | tail -1)
    echo "image $name: $(podman image inspect --format '{{.Size}}' "$name" | awk '{printf "%.0f MiB", $1/1048576}') unpacked (podman)"
  done
fi
