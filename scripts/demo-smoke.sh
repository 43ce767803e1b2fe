#!/usr/bin/env bash
# Starts the README's demo command on a spare port and checks the acceptance story:
# 210102-filler logs in through GraphQL, sees its own org, and 210103's org is NOT_FOUND.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${DEMO_PORT:-18089}
data=$(mktemp -d)
log="$data/demo.log"
make demo DEMO_ARGS="--listen 127.0.0.1:$port --data-dir $data" >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; pkill -f "touming demo --listen 127.0.0.1:$port" 2>/dev/null || true' EXIT
# The first request, sent as soon as the port takes connections, must already find the
# demo seeded: the server answers only once it is (a sign-in before that would fail).
python3 - "$port" >"$data/first.json" 2>&1 <<'PY' &
import json, socket, sys, time, urllib.request
port = int(sys.argv[1])
for _ in range(6000):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        break
    except OSError:
        time.sleep(0.1)
def gql(query, token=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", json.dumps({"query": query}).encode(),
                                 {"content-type": "application/json", **({"authorization": f"Bearer {token}"} if token else {})})
    return json.load(urllib.request.urlopen(req, timeout=600))
login = gql('mutation { login(username: "210102-filler", password: "Demo#2025touming") { token } }')
token = (login.get("data") or {}).get("login", {}) or {}
mine = gql("{ myAssignments { status } }", token["token"])["data"]["myAssignments"] if token else []
print(json.dumps({"login": login, "assignments": len(mine)}))
PY
probe=$!
for _ in $(seq 1 600); do
  if grep -q '按 Ctrl-C 停止' "$log" 2>/dev/null; then break; fi
  if ! kill -0 $pid 2>/dev/null; then cat "$log"; echo "demo exited early"; exit 1; fi
  sleep 1
done
grep -q '210102-filler' "$log" || { cat "$log"; echo "demo accounts not printed"; exit 1; }
wait $probe || true
python3 - "$data/first.json" <<'PY'
import json, sys
text = open(sys.argv[1]).read()
first = json.loads(text.strip().splitlines()[-1]) if text.strip() else {}
assert first.get("assignments", 0) >= 1, f"the first request found the demo not yet seeded: {text}"
print(f"demo smoke: the first request, sent while the demo was starting, signed in and saw {first['assignments']} checklists")
PY
python3 - "$port" "$data/touming.db" <<'PY'
import json, sqlite3, sys, urllib.request
port, db = sys.argv[1], sys.argv[2]
def gql(query, token=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", json.dumps({"query": query}).encode(),
                                 {"content-type": "application/json", **({"authorization": f"Bearer {token}"} if token else {})})
    return json.load(urllib.request.urlopen(req))
login = gql('mutation { login(username: "210102-filler", password: "Demo#2025touming") { token } }')
token = login["data"]["login"]["token"]
me = gql("{ me { org { code name } } }", token)
assert me["data"]["me"]["org"]["code"] == "210102", me
sibling = sqlite3.connect(db).execute("select id from org where code = '210103'").fetchone()[0]
other = gql('{ org(id: "%d") { name } }' % sibling, token)
assert other["errors"][0]["extensions"]["code"] == "NOT_FOUND", other
count = sqlite3.connect(db).execute("select count(*) from org where kind = 'COUNTY'").fetchone()[0]
assert count == 100, count
mine = gql("{ myAssignments { status round { title status } } }", token)["data"]["myAssignments"]
mine = [m for m in mine if m["round"]["status"] == "OPEN"]
assert len(mine) == 1, mine
cats = gql("{ catalogues { code versions { status itemCount } } }", token)["data"]["catalogues"]
assert {c["code"] for c in cats} >= {"county-health", "medical-institution"}, cats
print(f"demo smoke: 210102-filler sees {me['data']['me']['org']['name']}; 210103 is NOT_FOUND; {count} counties; "
      f"built-in catalogues: {', '.join(c['code'] + ' (' + str(c['versions'][0]['itemCount']) + ')' for c in cats)}; "
      f"its checklist in “{mine[0]['round']['title']}”: {mine[0]['status']}")
PY
