#!/usr/bin/env bash
# Compares the engine benchmark (bench/engine.ts) of an earlier commit with the working tree, in one run:
# rounds alternate between the two trees so that machine noise falls on both alike. Prints each
# round and the medians of messages per second and CPU time per message.
#   scripts/bench-compare.sh <commit> [rounds=5] [conversations=1000] [in-flight=8]
set -euo pipefail
cd "$(dirname "$0")/.."
base_commit=${1:?usage: scripts/bench-compare.sh <commit> [rounds] [conversations] [in-flight]}
rounds=${2:-5}
conversations=${3:-1000}
in_flight=${4:-8}
here=$(pwd)
base=$(mktemp -d /tmp/spreekuur-base-XXXXXX)
trap 'git worktree remove --force "$base" >/dev/null 2>&1 || rm -rf "$base"' EXIT
git worktree add --detach "$base" "$base_commit" >/dev/null 2>&1
ln -s "$here/node_modules" "$base/node_modules"

driver() { # $1: tree
  cat > "$1/bench/.compare-once.ts" <<TS
import { benchEngine } from './engine.js';
const cpu = process.cpuUsage();
const r = await benchEngine($conversations, $in_flight);
const used = process.cpuUsage(cpu);
console.log(JSON.stringify({ msgPerS: r.messagesPerSecond, p99Ms: r.p99Ms, cpuUsPerMsg: Math.round((used.user + used.system) / r.messages) }));
process.exit(0);
TS
}
driver "$base"
driver "$here"
trap 'rm -f "$here/bench/.compare-once.ts"; git worktree remove --force "$base" >/dev/null 2>&1 || rm -rf "$base"' EXIT

declare -a base_rates head_rates base_cpu head_cpu
for i in $(seq 1 "$rounds"); do
  for tree in base head; do
    dir=$([ "$tree" = base ] && echo "$base" || echo "$here")
    out=$(cd "$dir" && node bin/run-ts.mjs bench/.compare-once.ts | tail -n 1)
    echo "round $i $tree $out"
    rate=$(node -e "console.log(JSON.parse(process.argv[1]).msgPerS)" "$out")
    cpu=$(node -e "console.log(JSON.parse(process.argv[1]).cpuUsPerMsg)" "$out")
    if [ "$tree" = base ]; then base_rates+=("$rate"); base_cpu+=("$cpu"); else head_rates+=("$rate"); head_cpu+=("$cpu"); fi
  done
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo "engine, $conversations conversations, $in_flight in flight, $rounds rounds each, alternating"
echo "  base $base_commit: median $(median "${base_rates[@]}") msg/s, $(median "${base_cpu[@]}") µs CPU per message"
echo "  head $(git rev-parse --short HEAD): median $(median "${head_rates[@]}") msg/s, $(median "${head_cpu[@]}") µs CPU per message"
