#!/usr/bin/env bash
# Builds a Java 17 base image from Debian packages, for machines that cannot pull one (no
# registry): a jlink'ed runtime from the local JDK on a distroless-style Debian rootfs (libc,
# zlib, CA certificates, time zones; no shell, no package manager), written as a docker-archive
# tar that Jib takes as `tar://` base. Cached outside the repository, keyed by its inputs.
# Prints the tar's path on its last line.
#
# Elsewhere the image builds keep a public JRE base (eclipse-temurin:17-jre) and need none of this.
set -euo pipefail

CACHE="${SLIPWAY_CACHE:-$HOME/.cache/slipway}"
SUITE=bookworm
# Modules the controller, the plugin and the sample app use (jdeps over their runtime classpaths),
# plus providers found only at run time: EC/EdDSA signatures, DNS, zip file systems, JMX.
MODULES=java.base,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,java.security.jgss,java.sql,java.xml,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.httpserver,jdk.jfr,jdk.management,jdk.naming.dns,jdk.unsupported,jdk.zipfs
PACKAGES=base-files,netbase,tzdata,libc6,libgcc-s1,libstdc++6,zlib1g,ca-certificates

jdk="${SLIPWAY_BASE_JDK:-}"
if [[ -z "$jdk" ]]; then
  for c in /usr/lib/jvm/java-17-openjdk-amd64 "${JAVA_HOME:-}"; do
    if [[ -n "$c" && -d "$c/jmods" ]]; then jdk="$c"; break; fi
  done
fi
[[ -n "$jdk" && -x "$jdk/bin/jlink" && -d "$jdk/jmods" ]] || { echo "base-image: need a JDK 17 with jmods (openjdk-17-jdk-headless); set SLIPWAY_BASE_JDK" >&2; exit 2; }
jdk_version=$("$jdk/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/.*java.runtime.version = //p')
key=$(printf '%s\n' "$SUITE" "$MODULES" "$PACKAGES" "$jdk_version" "$(sha256sum "$0" | cut -c1-16)" | sha256sum | cut -c1-12)
out="$CACHE/images/jre17-base-$key.tar"
if [[ -s "$out" ]]; then
  echo "base image cached" >&2
  echo "$out"
  exit 0
fi
command -v mmdebstrap >/dev/null || { echo "base-image: needs mmdebstrap (apt-get install mmdebstrap)" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/slipway-base.XXXXXX")
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
mkdir -p "$CACHE/images"

# extract: unpack the packages (and what they depend on) without running maintainer scripts,
# so the image has no dpkg, apt or shell; the hooks do the little those scripts would have done.
mmdebstrap --quiet --variant=extract --include="$PACKAGES" \
  --customize-hook='mkdir -p "$1/tmp" && chmod 1777 "$1/tmp"' \
  --customize-hook='printf "root:x:0:0:root:/root:/usr/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/usr/sbin/nologin\n" > "$1/etc/passwd"' \
  --customize-hook='printf "root:x:0:\nnonroot:x:65532:\n" > "$1/etc/group"' \
  --customize-hook='mkdir -p "$1/home/nonroot" && chown 65532:65532 "$1/home/nonroot"' \
  --customize-hook='rm -rf "$1/usr/share/doc" "$1/usr/share/man" "$1/usr/share/info" "$1/usr/share/lintian" "$1/var/cache/apt" "$1/var/lib/apt/lists"' \
  "$SUITE" "$root" >&2

# ca-certificates' maintainer script would have built this bundle; the JVM reads its own store below.
cat "$root"/usr/share/ca-certificates/mozilla/*.crt > "$root/etc/ssl/certs/ca-certificates.crt"

"$jdk/bin/jlink" --add-modules "$MODULES" --output "$root/opt/java" \
  --strip-debug --no-header-files --no-man-pages --compress=2 --generate-cds-archive >&2
# Debian's JDK links its trust store to /etc/ssl/certs/java/cacerts; the image carries the file itself.
rm -f "$root/opt/java/lib/security/cacerts"
cp -L /etc/ssl/certs/java/cacerts "$root/opt/java/lib/security/cacerts"

# Every shared library a headless server loads must resolve inside the rootfs (AWT's are never loaded).
missing=$(for f in "$root"/opt/java/bin/java "$root"/opt/java/lib/server/libjvm.so "$root"/opt/java/lib/lib{java,jli,net,nio,zip,verify,jimage,management,management_ext,j2pkcs11,extnet,prefs,attach}.so; do
  [[ -e "$f" ]] || continue
  LD_LIBRARY_PATH="$root/lib/x86_64-linux-gnu:$root/usr/lib/x86_64-linux-gnu:$root/opt/java/lib:$root/opt/java/lib/server" ldd "$f" 2>/dev/null
done | awk '/=>/ {print $3}' | grep -v "^$root" | grep -vE '^(/lib64/ld-linux|not$)' | sort -u || true)
[[ -z "$missing" ]] || { echo "base-image: libraries missing from the rootfs: $missing" >&2; exit 1; }

# docker-archive: one layer, its config and a manifest; deterministic bytes for the same inputs.
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$root" -cf "$work/layer.tar" .
diff_id=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
mkdir "$work/image"
mv "$work/layer.tar" "$work/image/$diff_id.tar"
cat > "$work/image/config.json" <<JSON
{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z",
 "config":{"Env":["PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=/opt/java","LANG=C.UTF-8"],
  "User":"65532:65532","WorkingDir":"/home/nonroot",
  "Labels":{"org.opencontainers.image.description":"Java $jdk_version (jlink) on Debian $SUITE: libc, zlib, CA certificates, tzdata","org.opencontainers.image.base.name":"debian:$SUITE"}},
 "rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]},
 "history":[{"created":"1970-01-01T00:00:00Z","created_by":"e2e/images/base-image.sh"}]}
JSON
config_id=$(sha256sum "$work/image/config.json" | cut -d' ' -f1)
mv "$work/image/config.json" "$work/image/$config_id.json"
printf '[{"Config":"%s.json","RepoTags":["localhost/slipway-jre17-base:%s"],"Layers":["%s.tar"]}]\n' \
  "$config_id" "$key" "$diff_id" > "$work/image/manifest.json"
# Entries by name, no "./": Jib refuses an archive entry that resolves to its own destination.
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$work/image" -cf "$out.tmp" manifest.json "$config_id.json" "$diff_id.tar"
mv "$out.tmp" "$out"
find "$CACHE/images" -maxdepth 1 -name "jre17-base-*.tar" ! -name "$(basename "$out")" -delete
echo "base image built: $(du -h "$out" | cut -f1) ($jdk_version, $SUITE)" >&2
echo "$out"
