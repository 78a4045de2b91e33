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

# The controller's class-data archive: a training run of the image itself (same JVM, same jars)
# records the classes a start loads; the image is then built again with it in /app/cds. Without
# podman the image has none (the JVM ignores the missing file). SLIPWAY_IMAGE_CDS=false skips it.
if command -v podman >/dev/null && [[ "${SLIPWAY_IMAGE_CDS:-true}" != false ]]; then
  cds="$PWD/controller/target/image-cds"
  rm -rf "$cds" && mkdir -p "$cds" && chmod 777 "$cds"
  image=$(podman load -q -i controller/target/slipway-controller-image.tar | sed -n 's/^Loaded image: //p' | tail -1)
  podman rm -f slipway-cds-training >/dev/null 2>&1 || true
  # No network and no evidence: the start runs up to the operator and the HTTP server, then stops.
  podman run -d --name slipway-cds-training --network none -v "$cds:/out" \
    -e SLIPWAY_EVIDENCE_ENABLED=false \
    -e JDK_JAVA_OPTIONS="-XX:+UseSerialGC -XX:ArchiveClassesAtExit=/out/slipway.jsa" "$image" >/dev/null
  for _ in $(seq 1 240); do
    podman logs slipway-cds-training 2>&1 | grep -q "Startup completed" && break
    sleep 0.5
  done
  podman stop -t 60 slipway-cds-training >/dev/null
  podman rm slipway-cds-training >/dev/null
  [[ -s "$cds/slipway.jsa" ]] || { echo "image: the class-data training run wrote no archive" >&2; exit 1; }
  mvn "${args[@]/controller,samples/controller}" "-Dslipway.image.cds=$cds" "$@"
  echo "image slipway-controller-image: class-data archive $(du -m "$cds/slipway.jsa" | cut -f1) MiB (trained in the image)"
fi

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
