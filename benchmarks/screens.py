"""What the benchmark measures: the main screens, as (screen, user, path), the timed
operations (an export of 10,000 rows, the import of the real data set) and the pages of the
throughput phase."""

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Runs inside `manage.py shell`: picks the records the screens show (the rep's busiest deal,
# account and contact) and reverses the URLs, so the list survives route changes.
PREPARE = r"""
import json
from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from accounts.models import Account, Contact
from crm.models import User
from opportunities.models import Opportunity

rep = User.objects.get(username="rep")
account = (Account.objects.filter(owner=rep).annotate(n=Count("contacts"))
           .order_by("-n", "pk").first())
contact = Contact.objects.filter(account=account).order_by("pk").first()
deal = (Opportunity.objects.filter(owner=rep, status="open")
        .annotate(n=Count("stakeholders")).order_by("-n", "-amount", "pk").first())
won = Opportunity.objects.filter(owner=rep, status="won").order_by("-amount", "pk").first()

def url(name, *args, query=""):
    try:
        return reverse(name, args=args) + query
    except NoReverseMatch:
        return None

screens = [
    ("account list", "rep", url("accounts:list")),
    ("account list (search + filter)", "manager",
     url("accounts:list", query="?q=%E9%9B%86%E5%9B%A2&status=customer")),
    ("account page", "rep", url("accounts:detail", account.pk)),
    ("org map", "rep", url("accounts:org_map", account.pk)),
    ("contact page", "rep", url("accounts:contact", contact.pk)),
    ("relationship page", "rep", url("relationships:contact", contact.pk)),
    ("activity list", "rep", url("relationships:activities")),
    ("contact list", "rep", url("relationships:contact_list")),
    ("contact list", "manager", url("relationships:contact_list")),
    # 集团: a two-character Chinese term (docs/decisions.md, the search index)
    ("search 集团", "rep", url("search:results", query="?q=%E9%9B%86%E5%9B%A2")),
    ("search 集团", "manager", url("search:results", query="?q=%E9%9B%86%E5%9B%A2")),
    ("search suggestions (mobile)", "rep", url("search:suggest", query="?q=13800")),
    ("opportunity list", "rep", url("opportunities:list")),
    ("opportunity list", "manager", url("opportunities:list")),
    ("opportunity list", "admin", url("opportunities:list")),
    # The REST API (issue 22): the manager's deals, 50 a page, as a BI tool reads them.
    ("API opportunity list", "manager", url("api:opportunity-list", query="?page_size=50")),
    ("board", "manager", url("opportunities:board")),
    ("opportunity page", "rep", url("opportunities:detail", deal.pk)),
    ("opportunity page (won)", "rep", url("opportunities:detail", won.pk) if won else None),
    ("rep home", "rep", url("crm:home")),
    ("manager pipeline", "manager", url("opportunities:pipeline")),
    ("manager pipeline", "admin", url("opportunities:pipeline")),
    # The first view after someone saved anything the figures read (crm/figures.py).
    ("pipeline (after a write)", "manager", url("opportunities:pipeline")),
    ("pipeline (after a write)", "admin", url("opportunities:pipeline")),
    ("deal review", "manager", url("opportunities:review", deal.pk)),
    ("receivables", "manager", url("opportunities:receivables")),
    # Learning from our own deals (issue 23): each ≤ 300 ms for a manager at the large size.
    ("learn", "manager", url("opportunities:learn")),
    ("what builds trust", "manager", url("relationships:trust_learning")),
    ("gift ledger", "manager", url("relationships:gift_ledger")),
]
print(json.dumps({
    "screens": [s for s in screens if s[2]],
    "skipped": [s[0] for s in screens if not s[2]],
    # the manager's opportunities (every deal of the team: about 12,700 at the large size)
    "export": url("opportunities:export", "opportunities", "csv"),
    # The throughput phase (benchmarks/throughput.py): the sign-in page first, the reference.
    "throughput": [
        ("sign-in page", "anonymous", url("login")),
        ("opportunity list", "manager", url("opportunities:list")),
        ("account list", "manager", url("accounts:list")),
        ("manager pipeline", "manager", url("opportunities:pipeline")),
    ],
}))
"""


def prepare(env):
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c", PREPARE],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    fixture = json.loads(result.stdout.strip().splitlines()[-1])
    if fixture["skipped"]:
        print(f"  not measured (no such page yet): {', '.join(fixture['skipped'])}")
    return fixture


def screens(fixture):
    return [tuple(screen) for screen in fixture["screens"]]


def timed_operations(env, clients, base):
    """Seconds taken by: exporting the manager's opportunities as CSV (about 12,700 rows at the
    large size); importing the real data set (../shared/datasets/maven-crm) with the import
    command."""
    timings = {}
    fixture = prepare(env)
    if fixture["export"]:
        request = urllib.request.Request(
            f"{base}{fixture['export']}",
            headers={"Cookie": clients["manager"].cookie_header()} if "manager" in clients else {},
        )
        started = time.perf_counter()
        with urllib.request.urlopen(request) as response:
            rows = response.read().count(b"\n") - 1  # less the header
        timings[f"export ({rows:,} rows)"] = time.perf_counter() - started
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "manage.py", "import_maven"], cwd=ROOT, env=env, capture_output=True
    )
    if done.returncode == 0:
        timings["import of the Maven data set"] = time.perf_counter() - started
    return timings


def shared_cache():
    """The benchmark's own Redis database (BENCH_REDIS_URL, default db 7 on this machine),
    emptied; None when no Redis answers."""
    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=1)
        client.flushdb()
    except Exception:  # noqa: BLE001 — any failure means: no shared cache
        return None
    return url


def after_a_write(database_url):
    """A callable that changes the figures' generation as any save does (crm/figures.py), so
    that the next view computes the figures again."""
    import psycopg2

    def write():
        connection = psycopg2.connect(database_url)
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE crm_figuregeneration SET value = floor(random() * 9.2e18)::bigint "
                "WHERE id = 1"
            )
        connection.close()

    return write
