#!/usr/bin/env bash
# The browser stories: web/e2e/story.mjs against `touming demo` on a spare port, then
# web/e2e/second-factor.mjs against `touming serve` with the production defaults, in
# Debian's chromium; screenshots go to docs/screenshots/.
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

# The production default: administrators enrol a second factor at their first sign-in.
serve_port=$((port + 1))
serve_data=$(mktemp -d)
export TOUMING_DATABASE__URL="sqlite://$serve_data/touming.db?mode=rwc"
export TOUMING_EVIDENCE__STORE="$serve_data/evidence"
export TOUMING_LISTEN="127.0.0.1:$serve_port"
operator_password='Story#2026operator'
TOUMING_ADMIN_PASSWORD="$operator_password" "${CARGO_TARGET_DIR:-target}/debug/touming" create-operator --username story-ops >/dev/null
"${CARGO_TARGET_DIR:-target}/debug/touming" serve >"$serve_data/serve.log" 2>&1 &
serve_pid=$!
trap 'kill $pid $serve_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  (echo >"/dev/tcp/127.0.0.1/$serve_port") 2>/dev/null && break
  sleep 1
done
node web/e2e/second-factor.mjs "http://127.0.0.1:$serve_port" story-ops "$operator_password"
