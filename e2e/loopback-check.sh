#!/usr/bin/env bash
# Runs the demo while sampling every TCP socket of its process tree (listening and connected) each
# second with ss; fails if any local or peer address is not 127.0.0.1 or ::1, or an address on the
# pod bridge the demo made itself for its real node (its /24 is read from /run/slipway-nodes).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
e2e/demo.sh > "$out/demo.log" 2>&1 &
demo=$!
tree() { # the demo and all its descendants
  local p=$1; echo "$p"; for c in $(pgrep -P "$p" 2>/dev/null); do tree "$c"; done
}
while kill -0 "$demo" 2>/dev/null; do
  pids=$(tree "$demo" | paste -sd'|')
  ss -tanpH 2>/dev/null | grep -E "pid=($pids)," >> "$out/sockets.txt" || true
  for f in /run/slipway-nodes/*; do [ -f "$f" ] && sed -n 3p "$f" >> "$out/bridges.txt"; done
  sleep 1
done
wait "$demo" || { echo "demo failed, see $out/demo.log"; exit 1; }
sort -u "$out/sockets.txt" | awk '{print $1, $4, $5, $6}' | sed -E 's/,fd=[0-9]+//g' > "$out/unique.txt"
total=$(wc -l < "$out/unique.txt")
loop='^(127\.0\.0\.1|\[::1\]|\[::ffff:127\.0\.0\.1\]):'
bridges=$(sort -u "$out/bridges.txt" 2>/dev/null | sed -E 's#\.0/24$#.#; s#\.#\\.#g' | paste -sd'|' || true)
[ -n "$bridges" ] && loop="$loop|^(\[::ffff:)?($bridges)[0-9]+\]?:"
# Local addresses must be loopback; so must peers, except a listener's wildcard peer (*:*).
bad=$( { awk '{print $2}' "$out/unique.txt"; awk '$1!="LISTEN"{print $3}' "$out/unique.txt"; } | grep -v -E "$loop" | sort -u || true)
echo "sampled $total distinct sockets of the demo's processes (listening and connected); processes:"
grep -o 'users:(("[^"]*"' "$out/unique.txt" | sort | uniq -c | sed 's/users:((//'
echo "listening on: $(awk '$1=="LISTEN"{print $2}' "$out/unique.txt" | sed -E 's/:[0-9]+$//' | sort -u | paste -sd' ')"
echo "peers: $(awk '$1!="LISTEN"{print $3}' "$out/unique.txt" | sed -E 's/:[0-9]+$//' | sort -u | paste -sd' ')"
[ -n "$bridges" ] && echo "the demo's own pod bridge: $(sort -u "$out/bridges.txt" | paste -sd' ')"
if [ -n "$bad" ]; then echo "NON-LOOPBACK: $bad"; exit 1; fi
if [ -n "$bridges" ]; then echo "every address is loopback or on the pod bridge the demo made"; else echo "every address is loopback"; fi
