#!/usr/bin/env python3
"""moto's own ceiling on one keep-alive connection, to compare `addperm check --jobs 1` with.

    scripts/moto.sh start 5055
    scripts/measure/moto_ceiling.py 5055 400      # 400 rounds of 4 requests

Each round is the requests addperm sends most (CreateFunction, AddPermission, GetPolicy,
DeleteFunction), from a minimal Python client (http.client, one connection, no signing work):
what moto can answer, with as little client time as Python allows. README "Performance".
"""
import http.client, json, sys, time, base64, io, zipfile
if len(sys.argv) != 3 or not (sys.argv[1].isdigit() and sys.argv[2].isdigit()):
    print("usage: moto_ceiling.py PORT ROUNDS", file=sys.stderr)
    sys.exit(2)
port = int(sys.argv[1]); n = int(sys.argv[2])
auth = "AWS4-HMAC-SHA256 Credential=123456789012/20261122/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=0"
h = {"Authorization": auth, "Content-Type": "application/json"}
c = http.client.HTTPConnection("127.0.0.1", port)
def call(method, path, body=None):
    c.request(method, path, body=json.dumps(body) if body is not None else None, headers=h)
    r = c.getresponse(); r.read(); return r.status
buf = io.BytesIO(); zipfile.ZipFile(buf, "w").writestr("index.py", "def handler(e, c): return 1")
code = base64.b64encode(buf.getvalue()).decode()
role = "arn:aws:iam::123456789012:role/addperm-fixture-role"
sent = 0; t0 = time.perf_counter()
for i in range(n):
    fn = f"ceil-{i}"
    call("POST", "/2015-03-31/functions", {"FunctionName": fn, "Runtime": "python3.12", "Role": role, "Handler": "index.handler", "Code": {"ZipFile": code}})
    st = call("POST", f"/2015-03-31/functions/{fn}/policy", {"StatementId": "s", "Action": "lambda:InvokeFunction", "Principal": "s3.amazonaws.com"})
    call("GET", f"/2015-03-31/functions/{fn}/policy")
    call("DELETE", f"/2015-03-31/functions/{fn}")
    sent += 4
dt = time.perf_counter() - t0
print(f"moto ceiling, one connection, minimal Python client: {sent} requests in {dt:.1f} s = {sent/dt:.0f} requests/s (last AddPermission {st})")
