"""The crowd of the load benchmark (benchmarks/load.py runs it; it needs locust, the [bench] extra).

- ``Visitor``: anonymous; the home page, the organization list and pages, search, the API's lists
  and search;
- ``Member``: a member of a scenario startup, signed in through the login form; their pages, the
  startup's suggestions, the API with a token;
- ``Staff``: the demo superuser, the same way; the lists they see are all organizations;
- ``Hammer``: one path (``DARI_LOAD_PATH``) without pause, for the throughput runs.

Every crowd also asks for ``/bench/bare-organizations`` (the yardstick, ``load_urls.py``), named
"bare view". Bounded: locust's ``--run-time`` and ``--users``, and ``--max-requests`` here (the run
stops once that many were made). Loopback only: another host is refused.
"""

from __future__ import annotations

import json
import os
import random
import re
from urllib.parse import urlencode, urlsplit

from locust import between, constant, events, task
from locust.contrib.fasthttp import FastHttpUser
from locust.exception import StopUser

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
SEARCHES = ("울산 바이오", "thyroid", "갑상선", "antibody", "San Diego", "의료기기", "UNIST", "genomic")
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
requests_made = 0


@events.init_command_line_parser.add_listener
def add_arguments(parser):
    parser.add_argument("--max-requests", type=int, default=50_000, help="stop after this many requests")


@events.init.add_listener
def refuse_other_hosts(environment, **kwargs):
    host = urlsplit(environment.host or "").hostname
    if host not in LOOPBACK:
        raise SystemExit(f"the load benchmark runs against loopback only, not {environment.host!r}")


@events.request.add_listener
def stop_at_the_bound(**kwargs):
    global requests_made
    requests_made += 1
    environment = kwargs["context"].get("environment") if kwargs.get("context") else None
    runner = getattr(environment, "runner", None)
    if runner is not None and requests_made >= environment.parsed_options.max_requests:
        runner.quit()


class Unmeasured:
    """Stands in for locust's request event while a user sets itself up."""

    def fire(self, **kwargs):
        pass


def personas() -> dict:
    return json.loads(open(os.environ["DARI_LOAD_PERSONAS"], encoding="utf-8").read())


class DariUser(FastHttpUser):
    abstract = True
    wait_time = between(0.5, 1.5)

    def context(self):
        return {"environment": self.environment}

    def on_start(self):
        self.world = personas()

    def organization_id(self) -> int:
        return random.choice(self.world["public_organizations"])

    def get(self, path: str, name: str, **kwargs):
        return self.client.get(path, name=name, **kwargs)

    @task(1)
    def bare_view(self):
        self.get("/bench/bare-organizations", "bare view")


class Visitor(DariUser):
    weight = 6

    @task(3)
    def home(self):
        self.get("/", "page: home")

    @task(3)
    def organization_list(self):
        self.get(f"/organizations/?page={random.randint(1, 5)}", "page: organizations")

    @task(3)
    def organization_page(self):
        self.get(f"/organizations/{self.organization_id()}/", "page: an organization")

    @task(2)
    def search_page(self):
        self.get("/search/?" + urlencode({"q": random.choice(SEARCHES)}), "page: search")

    @task(3)
    def api_organizations(self):
        self.get("/api/v1/organizations?limit=50", "api: organizations (50)")

    @task(1)
    def api_search(self):
        self.get("/api/v1/search?" + urlencode({"q": random.choice(SEARCHES)}), "api: search")


class SignedIn(DariUser):
    abstract = True
    persona = ""

    def on_start(self):
        """Signs in through the login form, unmeasured: a member who signed in earlier. (The password's
        Argon2 hash takes seconds on a busy machine by design, and would be every crowd's p99.)"""
        super().on_start()
        me = self.world["personas"][self.persona]
        self.token = me["token"]
        measured, self.client.request_event = self.client.request_event, Unmeasured()
        try:
            form = self.client.get("/accounts/login/")
            found = CSRF_FIELD.search(form.text or "")
            body = urlencode(
                {
                    "csrfmiddlewaretoken": found.group(1) if found else "",
                    "username": me["username"],
                    "password": me["password"],
                }
            )
            response = self.client.post(
                "/accounts/login/",
                data=body,
                headers={"Content-Type": "application/x-www-form-urlencoded"},
                allow_redirects=False,
            )
        finally:
            self.client.request_event = measured
        if response.status_code != 302:
            raise StopUser(f"sign-in answered {response.status_code}")

    def api(self, path: str, name: str):
        return self.get(path, name, headers={"Authorization": f"Bearer {self.token}"})

    @task(2)
    def home(self):
        self.get("/", f"page: home ({self.persona})")

    @task(3)
    def organization_list(self):
        self.get(f"/organizations/?page={random.randint(1, 5)}", f"page: organizations ({self.persona})")

    @task(2)
    def suggestions(self):
        self.get(
            f"/organizations/{self.world['member_organization']}/suggestions/",
            f"page: suggestions ({self.persona})",
        )

    @task(1)
    def notifications(self):
        self.get("/notifications/", f"page: notifications ({self.persona})")

    @task(3)
    def api_organizations(self):
        self.api("/api/v1/organizations?limit=50", f"api: organizations (50, {self.persona})")

    @task(1)
    def api_suggestions(self):
        self.api(
            f"/api/v1/organizations/{self.world['member_organization']}/suggestions",
            f"api: suggestions ({self.persona})",
        )


class Member(SignedIn):
    weight = 3
    persona = "member"


class Staff(SignedIn):
    weight = 1
    persona = "staff"


class Hammer(FastHttpUser):
    """One path as fast as the server answers it (the throughput runs)."""

    wait_time = constant(0)

    def context(self):
        return {"environment": self.environment}

    @task
    def hammer(self):
        path = os.environ["DARI_LOAD_PATH"]
        self.client.get(path, name=path)
