"""The load test end to end: gunicorn with production settings on a seed_bench database, then
bench/load.py (locust, headless) for 10, 50 and 100 people in turn, and one table of p50 / p95 / p99
per page and people, with the errors.

On demand, not in CI (`make bench-load` installs locust into .venv-bench first):
    .venv/bin/python bench/load_run.py --db postgres://postgres@127.0.0.1:5432/pmo_bench10k \\
        [--users 10 50 100] [--duration 120] [--workers 4 --threads 2]

The figures are the client's (locust on the same machine): the server's time plus waiting for a free
worker, which is what people feel. Signing in is not counted (bench/load.py says why): the figures, the
client's and the server's (its access log), start once the last person is in.
"""

import argparse
import csv
import datetime as dt
import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def production_env(db: str) -> dict:
    """The settings of a production deployment, less TLS (plain HTTP on localhost, no proxy)."""
    return dict(
        os.environ, DATABASE_URL=db, DEBUG="false", SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="localhost,127.0.0.1", SECURE_SSL_REDIRECT="false", BEHIND_TLS_PROXY="false",
        SECURE_HSTS_SECONDS="0", EMAIL_URL="dummymail://", CONN_MAX_AGE=os.environ.get("CONN_MAX_AGE", "60"))


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def wait_until_up(url: str, server: subprocess.Popen, log: Path) -> None:
    for _ in range(120):
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped: see {log}")
        try:
            urllib.request.urlopen(f"{url}/healthz", timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    sys.exit("gunicorn did not answer /healthz within a minute")


def run_locust(locust: str, url: str, users: int, duration: int, out: Path) -> tuple[list[dict], list[str], float]:
    """One headless run; the figures start when the last person has signed in (bench/load.py), and the
    run lasts long enough for `duration` seconds of them after the sign-ins (half a second each, at most)."""
    prefix = out / f"u{users}"
    mark = Path(f"{prefix}.measured-from")
    env = dict(os.environ, BENCH_MEASURED_FROM_FILE=str(mark))
    with open(f"{prefix}.log", "w") as log:
        subprocess.run(
            [locust, "-f", str(ROOT / "bench" / "load.py"), "--headless", "--host", url, "-u", str(users),
             "-r", str(max(1, users // 10)), "--run-time", f"{duration + 15 + users // 2}s", "--only-summary",
             "--csv", str(prefix), "--loglevel", "WARNING"],
            cwd=ROOT, env=env, check=False, stdout=log, stderr=subprocess.STDOUT)
    measured_from = float(mark.read_text()) if mark.exists() else float("inf")
    with open(f"{prefix}_stats.csv", newline="") as stats:
        rows = list(csv.DictReader(stats))
    with open(f"{prefix}_failures.csv", newline="") as failures:
        errors = [f"{r['Name']}: {r['Error']} x{r['Occurrences']}" for r in csv.DictReader(failures)]
    return rows, errors, measured_from


# gunicorn's access log: time of the request (epoch seconds), method, path, status, time taken in ms.
ACCESS_FORMAT = "%(t)s %(m)s %(U)s %(s)s %(M)s"


def server_side(log: Path, after: float) -> list[int]:
    """The server's own time (ms) of each request logged after `after`, sign-ins and static files left
    out: what the application spends, without the client's side of the machine."""
    times = []
    with open(log) as lines:
        for line in lines:
            stamp, _method, path, _status, taken = line.rsplit(" ", 4)
            # In the server's time zone (Django sets TZ to TIME_ZONE), with its offset.
            moment = dt.datetime.strptime(stamp.strip("[]"), "%d/%b/%Y:%H:%M:%S %z").timestamp()
            if moment >= after and not path.startswith(("/accounts/login", "/static/", "/healthz")):
                times.append(int(taken))
    return times


def percentile(values: list[int], share: float) -> int:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0


def report_server(server_times: dict[int, list[int]]) -> None:
    print("server side (gunicorn's own time per request, ms):")
    print(f"{'people':>7}{'requests':>10}{'p50':>8}{'p95':>8}{'p99':>8}{'max':>8}")
    for users, times in server_times.items():
        print(f"{users:>7}{len(times):>10}{percentile(times, .5):>8}{percentile(times, .95):>8}"
              f"{percentile(times, .99):>8}{max(times, default=0):>8}")
    print()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default=os.environ.get("DATABASE_URL"), help="a seed_bench database URL")
    parser.add_argument("--users", type=int, nargs="+", default=[10, 50, 100])
    parser.add_argument("--duration", type=int, default=120, help="seconds per run, after everyone is signed in")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--locust", default=str(ROOT / ".venv-bench" / "bin" / "locust"))
    args = parser.parse_args()
    if not args.db:
        sys.exit("Give --db (or DATABASE_URL): a database seeded by manage.py seed_bench.")
    if not Path(args.locust).exists():
        sys.exit(f"No locust at {args.locust}: `make bench-load` installs it (requirements-bench.txt).")
    env = production_env(args.db)
    out = Path(tempfile.mkdtemp(prefix="pmo-load-"))
    env["STATIC_ROOT"] = str(out / "static")
    manage(env, "collectstatic", "--noinput")  # production serves hashed, compressed files (whitenoise)
    manage(env, "seed_bench", "--logins-only")  # every role's bench-* user signs in with BENCH_PASSWORD
    url = f"http://127.0.0.1:{args.port}"
    server_log = open(out / "gunicorn.log", "w")
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "pmo.wsgi:application", "--bind", f"127.0.0.1:{args.port}",
         "--workers", str(args.workers), "--threads", str(args.threads), "--log-level", "warning",
         "--access-logfile", str(out / "access.log"), "--access-logformat", ACCESS_FORMAT],
        cwd=ROOT, env=env, stdout=server_log, stderr=subprocess.STDOUT)
    results, server_times = {}, {}
    try:
        wait_until_up(url, server, out / "gunicorn.log")
        for users in args.users:
            started = time.perf_counter()
            rows, errors, measured_from = run_locust(args.locust, url, users, args.duration, out)
            results[users] = rows, errors
            server_times[users] = server_side(out / "access.log", measured_from)
            print(f"{users} people: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    finally:
        server.terminate()
        server.wait(30)
        server_log.close()
    report(results, args)
    report_server(server_times)
    print(f"server log and locust's own output: {out}")


def report(results, args):
    print(f"load: gunicorn {args.workers} workers x {args.threads} threads, production settings, "
          f"{args.duration} s per run; client times in ms")
    print(f"{'page':<18}{'people':>7}{'requests':>10}{'req/s':>8}{'p50':>8}{'p95':>8}{'p99':>8}{'max':>8}{'errors':>8}")
    for users, (rows, _) in results.items():
        for row in sorted(rows, key=lambda r: (r["Name"] == "Aggregated", r["Name"])):
            name = "all pages" if row["Name"] == "Aggregated" else row["Name"]
            print(f"{name:<18}{users:>7}{row['Request Count']:>10}{float(row['Requests/s']):>8.1f}{row['50%']:>8}"
                  f"{row['95%']:>8}{row['99%']:>8}{float(row['Max Response Time']):>8.0f}{row['Failure Count']:>8}")
        print()
    for users, (_, errors) in results.items():
        for error in errors:
            print(f"error with {users} people: {error}")


if __name__ == "__main__":
    main()
