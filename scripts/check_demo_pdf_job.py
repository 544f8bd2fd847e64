"""Check the running demo end to end: sign in as demo, make the agreement PDF as a background job,
follow its progress, download the file, and check that an anonymous request for it is refused.

Usage: python3 scripts/check_demo_pdf_job.py [http://127.0.0.1:8000]   (with `bash scripts/demo.sh` running)
"""

import http.cookiejar
import json
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

BASE = sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8000"


def session():
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    return opener, jar


def csrf(jar):
    return next(c.value for c in jar if c.name == "csrftoken")


def login(opener, jar, username, password):
    opener.open(BASE + "/accounts/login/").read()
    data = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": csrf(jar)}
    ).encode()
    req = urllib.request.Request(
        BASE + "/accounts/login/", data=data, headers={"Referer": BASE + "/accounts/login/"}
    )
    opener.open(req).read()


demo, demo_jar = session()
login(demo, demo_jar, "demo", "dari-demo-2024")
agreements = json.loads(demo.open(BASE + "/api/v1/agreements").read())
agreement_id = agreements["items"][0]["id"]
page = demo.open(BASE + f"/agreements/{agreement_id}/").read().decode()
assert "pdf/job" in page
start = time.time()
data = urllib.parse.urlencode({"lang": "ko", "csrfmiddlewaretoken": csrf(demo_jar)}).encode()
req = urllib.request.Request(
    BASE + f"/agreements/{agreement_id}/pdf/job/", data=data, headers={"Referer": BASE + "/"}
)
resp = demo.open(req)
job_url = resp.geturl()
job_id = int(re.search(r"/jobs/(\d+)/", job_url).group(1))
states = []
while time.time() - start < 60:
    job = json.loads(demo.open(BASE + f"/api/v1/jobs/{job_id}").read())
    states.append(
        (round(time.time() - start, 2), job["state"], job.get("progress_done"), job.get("progress_total"))
    )
    if job["state"] in ("succeeded", "failed"):
        break
    time.sleep(0.3)
print("job page:", job_url)
print("progress samples:", states[:3], "...", states[-1])
print("result:", job.get("result"), job.get("error"))
partial = demo.open(BASE + f"/jobs/{job_id}/progress/").read().decode()
print("progress partial has bar:", "progress" in partial)
url = job["result"]["url"]
pdf = demo.open(BASE + url).read()
print("download:", len(pdf), "bytes, starts", pdf[:5])
open("demo-agreement.pdf", "wb").write(pdf)
# An outsider (anonymous) asks for the same file
try:
    urllib.request.urlopen(BASE + url)
    print("anonymous: NOT refused!")
    sys.exit(1)
except urllib.error.HTTPError as error:
    print("anonymous:", error.code)
