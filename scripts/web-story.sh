#!/usr/bin/env bash
# The browser story of issue 7: starts `touming demo` on a spare port and runs
# web/e2e/story.mjs against it in Debian's chromium; screenshots go to docs/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${STORY_PORT:-18091}
data=$(mktemp -d)
log="$data/demo.log"
"${CARGO_TARGET_DIR:-target}/debug/touming" demo --listen "127.0.0.1:$port" --data-dir "$data" >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  if grep -q '按 Ctrl-C 停止' "$log" 2>/dev/null; then break; fi
  if ! kill -0 $pid 2>/dev/null; then cat "$log"; echo "demo exited early"; exit 1; fi
  sleep 1
done
node web/e2e/story.mjs "http://127.0.0.1:$port"
