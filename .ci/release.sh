#!/usr/bin/env bash
# Builds a Slipway release into an OCI registry, as a release job would:
#   .ci/release.sh --registry HOST[:PORT]/PATH --key cosign.key [--plain-http] [--skip-build] [--out DIR]
# 1. the controller and sample-app images (e2e/images/build.sh; Jib, no daemon) pushed by digest;
# 2. each signed with cosign (the key's password in COSIGN_PASSWORD), with its CycloneDX SBOM and a
#    SLSA provenance statement attached as signed attestations (no transparency log: the key is the
#    trust root, as in an air-gapped registry);
# 3. the Helm chart, pointing at the controller image by digest, pushed as an OCI artifact;
# 4. the kubectl plugin archive, its krew manifest, and SHA256SUMS of every file, in DIR.
# The version is the pom's (<revision><changelist>); it goes into the CLI's `version`, the image
# labels, the chart and the plugin archive from there. Prints what it made, then checks the
# signatures with cosign verify. Tools (crane, cosign, helm) are built by e2e/release/build-tools.sh
# and e2e/node/build.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
registry="" key="" plain=false build=true out="target/release"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --registry) registry="$2"; shift 2 ;;
    --key) key="$2"; shift 2 ;;
    --plain-http) plain=true; shift ;;
    --skip-build) build=false; shift ;;
    --out) out="$2"; shift 2 ;;
    *) echo "release.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ -n "$registry" && -n "$key" ]] || { sed -n '2,3p' "$0" >&2; exit 2; }
[[ -f "$key" ]] || { echo "release.sh: no key file $key (cosign generate-key-pair makes one)" >&2; exit 2; }

tools=$(bash e2e/release/build-tools.sh)
crane="$tools/crane" cosign="$tools/cosign"
helm="${SLIPWAY_CACHE:-$HOME/.cache/slipway}/k8s/${K8S_VERSION:-1.32.4}-linux-amd64/helm"
[[ -x "$helm" ]] || bash e2e/node/build.sh >&2
version="$(sed -n 's:.*<revision>\(.*\)</revision>.*:\1:p' pom.xml | head -1)$(sed -n 's:.*<changelist>\(.*\)</changelist>.*:\1:p' pom.xml | head -1)"
insecure=() registry_flags=() helm_flags=()
if [[ "$plain" == true ]]; then
  insecure=(--insecure) registry_flags=(--allow-insecure-registry) helm_flags=(--plain-http)
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)

if [[ "$build" == true ]]; then
  bash e2e/images/build.sh >&2
  mvn -B -q -pl controller/plugin -am package -DskipTests >&2
fi
ctrl_tar=controller/target/slipway-controller-image.tar
app_tar=samples/target/slipway-sample-app-image.tar
archive=controller/plugin/target/kubectl-slipway-${version}.tar.gz
for f in "$ctrl_tar" "$app_tar" "$archive"; do
  [[ -f "$f" ]] || { echo "release.sh: $f missing (build without --skip-build)" >&2; exit 2; }
done

push() { # tar, name -> repo@digest
  local ref="$registry/$2:$version"
  "$crane" push "${insecure[@]}" "$1" "$ref" 2>/dev/null
}
ctrl=$(push "$ctrl_tar" slipway-controller)
app=$(push "$app_tar" slipway-sample-app)

commit=$(git rev-parse HEAD 2>/dev/null || echo unknown)
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
sign() { # repo@digest, sbom
  local provenance="$out/provenance-${1##*/}.json"
  provenance="${provenance/@sha256:/-}"
  cat > "$provenance" <<JSON
{
  "buildDefinition": {
    "buildType": "https://slipway.dev/release/v1",
    "externalParameters": {"repository": "https://github.com/slipway-dev/slipway", "version": "$version"},
    "resolvedDependencies": [{"uri": "git+https://github.com/slipway-dev/slipway", "digest": {"gitCommit": "$commit"}}]
  },
  "runDetails": {
    "builder": {"id": "https://github.com/slipway-dev/slipway/.ci/release.sh"},
    "metadata": {"startedOn": "$started"}
  }
}
JSON
  "$cosign" sign --key "$key" --tlog-upload=false "${registry_flags[@]}" -y "$1" >/dev/null 2>&1
  "$cosign" attest --key "$key" --tlog-upload=false "${registry_flags[@]}" -y \
    --type cyclonedx --predicate "$2" "$1" >/dev/null 2>&1
  "$cosign" attest --key "$key" --tlog-upload=false "${registry_flags[@]}" -y \
    --type slsaprovenance1 --predicate "$provenance" "$1" >/dev/null 2>&1
}
sign "$ctrl" controller/target/slipway-controller-image.sbom.json
sign "$app" samples/target/slipway-sample-app-image.sbom.json

# The chart, pointing at the image just pushed, by digest.
chart="$out/chart/slipway"
rm -rf "$out/chart" && mkdir -p "$out/chart" && cp -r samples/install/helm/slipway "$chart"
sed -i -e "s|^  repository: .*|  repository: ${ctrl%@*}|" -e "0,/^  digest: \"\"/s||  digest: \"${ctrl#*@}\"|" "$chart/values.yaml"
"$helm" package "$chart" --version "$version" --app-version "$version" -d "$out" >/dev/null
"$helm" push "$out/slipway-$version.tgz" "oci://$registry/charts" "${helm_flags[@]}" >/dev/null 2>&1
rm -rf "$out/chart"

# The plugin, its krew manifest (the download address is the release's; install a local copy with
# kubectl krew install --manifest=slipway.krew.yaml --archive=kubectl-slipway-VERSION.tar.gz).
cp "$archive" "$out/"
bash controller/plugin/src/plugin/krew-manifest.sh "$out/$(basename "$archive")" \
  "${RELEASE_DOWNLOAD:-https://github.com/slipway-dev/slipway/releases/download/v$version}/$(basename "$archive")" \
  > "$out/slipway.krew.yaml"
(cd "$out" && sha256sum kubectl-slipway-*.tar.gz slipway-*.tgz slipway.krew.yaml provenance-*.json > SHA256SUMS)

pub="${key%.key}.pub"
verified="not checked (no $pub)"
if [[ -f "$pub" ]]; then
  "$cosign" verify --key "$pub" --insecure-ignore-tlog "${registry_flags[@]}" "$ctrl" >/dev/null 2>&1
  "$cosign" verify-attestation --key "$pub" --insecure-ignore-tlog "${registry_flags[@]}" --type cyclonedx "$ctrl" >/dev/null 2>&1
  verified="signature and SBOM attestation verified with $pub"
fi
cat <<SUMMARY
release $version (commit ${commit:0:12}) into $registry
image $ctrl
image $app
chart oci://$registry/charts/slipway --version $version (image by digest ${ctrl#*@})
plugin $out/$(basename "$archive") with $out/slipway.krew.yaml and $out/SHA256SUMS
signed: cosign, key $key; SBOM (CycloneDX) and SLSA provenance attested; $verified
SUMMARY
