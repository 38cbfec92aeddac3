#!/usr/bin/env python3
"""See the agent at work: Odoo 19 with the three addons on a living demo database.

    python3 tools/demo.py                      # build (first time) and serve on 127.0.0.1:8069
    python3 tools/demo.py --odoo-src ~/odoo    # use this Odoo 19.0 source tree
    python3 tools/demo.py --reset              # rebuild the demo database from scratch

1. Odoo 19.0 Community: ``--odoo-src`` (or CRM_AGENT_ODOO_SRC) when given; else the Odoo that
   ``python3`` imports; else a shallow clone of https://github.com/odoo/odoo (branch 19.0) into
   ``.cache/odoo``. A source tree gets its own virtualenv in ``.cache/venv`` with Odoo's
   requirements and ours. ``.cache/`` is ignored by git: nothing of Odoo is committed.
2. PostgreSQL: the server reachable with the usual settings (or ``--db-host``/``--db-port``/
   ``--db-user``/``--db-password``, or the PG* variables); else a private cluster in ``.cache/pg``
   on a Unix socket, started now and stopped on exit (``--private-pg`` forces it). As root, the
   cluster runs as the system user ``crm_agent_pg`` (PostgreSQL refuses root).
3. The demo database (``crm_agent_demo``; re-created with ``--reset``): crm and the three addons,
   a generated business (tools/demo_data), then the agent's jobs once.
4. Serves Odoo on 127.0.0.1:8069 (``--port``) until Ctrl-C; ``--no-serve`` stops after the build.

Each step prints its time; a failed step says what failed and how to retry; a re-run resumes
where the last one stopped.
"""

import argparse
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CACHE = os.path.join(ROOT, ".cache")
ODOO_GIT = "https://github.com/odoo/odoo"
ODOO_BRANCH = "19.0"
MODULES = ["crm", "crm_agent", "crm_agent_scoring", "crm_agent_hygiene"]
PG_SYSTEM_USER = "crm_agent_pg"
PG_ROLE = "crm_agent"
# Build quirks of Odoo 19's requirements (see the README): cbor2 5.4 builds only with setuptools<81;
# lxml 6 breaks Odoo (e.g. crm's TestLeadMerge), Odoo 19 pins 4.9.3 / 5.2.1. Odoo pins
# python-dateutil 2.8.2 and shap's pandas wants 2.9: ours go second, with 2.9.0.post0, which
# Odoo 19 works with.
CONSTRAINTS = "setuptools<81\nlxml<6\n"
LOGINS = (
    ("admin", "admin", "administrator: settings, scoring models, the agent's history"),
    ("approver", "approver", "sales manager and agent approver: the merge approvals wait here"),
    ("rep", "rep", "salesperson (Direct Sales): scored leads, captured contacts, meeting to-dos"),
)


class StepFailed(Exception):
    pass


class Runner:
    """Numbered steps with their durations; the closing note lists them."""

    def __init__(self, retry):
        self.timings = []
        self.retry = retry

    def step(self, title, func, *args):
        print(f"\n[{len(self.timings) + 1}] {title} ...", flush=True)
        started = time.monotonic()
        try:
            result = func(*args)
        except StepFailed as exc:
            self.fail(title, str(exc), started)
        except subprocess.CalledProcessError as exc:
            self.fail(
                title,
                f"command failed (exit {exc.returncode}): {' '.join(map(str, exc.cmd))}",
                started,
            )
        seconds = time.monotonic() - started
        self.timings.append((title, seconds))
        print(f"    done in {seconds:.1f} s", flush=True)
        return result

    def fail(self, title, reason, started):
        print(f"\n!!! FAILED after {time.monotonic() - started:.0f} s: {title}\n!!! {reason}")
        print(f"!!! fix the cause, then retry (it resumes where it stopped):\n    {self.retry}")
        raise SystemExit(1)

    def summary(self):
        total = sum(s for _t, s in self.timings)
        print("\nTimings:")
        for title, seconds in self.timings:
            print(f"  {seconds:7.1f} s  {title}")
        print(f"  {total:7.1f} s  total")


def run(cmd, log=None, env=None, user=None, check=True):
    """Run ``cmd`` (as ``user`` through runuser when given); output to ``log`` when given."""
    if user:
        cmd = ["runuser", "-u", user, "--", *cmd]
    if log:
        with open(log, "a") as fh:
            fh.write(f"\n$ {' '.join(cmd)}\n")
            fh.flush()
            rc = subprocess.call(cmd, stdout=fh, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
        if rc and check:
            raise StepFailed(f"{' '.join(cmd)} failed (exit {rc}); its output is in {log}")
        return rc
    return subprocess.run(cmd, check=check, env=env, cwd=ROOT).returncode


# ---------------------------------------------------------------------------------------------
# Odoo
# ---------------------------------------------------------------------------------------------


class OdooRuntime:
    def __init__(self, python, source, pythonpath=None):
        self.python = python
        self.source = source
        self.pythonpath = pythonpath

    def env(self):
        env = dict(os.environ)
        if self.pythonpath:
            env["PYTHONPATH"] = os.pathsep.join(
                filter(None, [self.pythonpath, env.get("PYTHONPATH")])
            )
        return env

    def addons_path(self):
        paths = [os.path.join(self.source, "addons"), os.path.join(self.source, "odoo", "addons")]
        return ",".join([p for p in paths if os.path.isdir(p)] + [ROOT])

    def command(self, *args):
        return [self.python, "-m", "odoo", *args]


def source_version(src):
    path = os.path.join(src, "odoo", "release.py")
    if not os.path.isfile(path):
        return None
    with open(path) as fh:
        for line in fh:
            if line.startswith("version_info"):
                return line.split("=", 1)[1].strip()
    return None


def imported_odoo(python):
    """The source root of the Odoo 19 that ``python`` imports, or None."""
    code = "import os, odoo.release as r; print(r.version_info[0]); print(os.path.dirname(os.path.dirname(os.path.abspath(r.__file__))))"
    proc = subprocess.run([python, "-c", code], capture_output=True, text=True)
    lines = proc.stdout.split()
    if proc.returncode or len(lines) < 2 or lines[0] != "19":
        return None
    return lines[1]


def clone_odoo(target):
    if not shutil.which("git"):
        raise StepFailed(
            "git is not installed (sudo apt-get install -y git), or pass --odoo-src PATH"
        )
    partial = target + ".partial"
    shutil.rmtree(partial, ignore_errors=True)
    run(["git", "clone", "--depth", "1", "--branch", ODOO_BRANCH, ODOO_GIT, partial])
    os.rename(partial, target)  # only a complete clone takes the final name


def build_dependencies_missing():
    """Debian packages the requirements compile against (python-ldap, psycopg2)."""
    missing = []
    if not os.path.exists("/usr/include/ldap.h") or not os.path.exists("/usr/include/sasl/sasl.h"):
        missing += ["libldap2-dev", "libsasl2-dev"]
    if not shutil.which("pg_config"):
        missing.append("libpq-dev")
    if not shutil.which("cc") and not shutil.which("gcc"):
        missing.append("build-essential")
    return missing


def requirements_hash(src):
    digest = hashlib.sha256(CONSTRAINTS.encode())
    for path in (os.path.join(src, "requirements.txt"), os.path.join(ROOT, "requirements.txt")):
        with open(path, "rb") as fh:
            digest.update(fh.read())
    return digest.hexdigest()


def make_venv(src, venv):
    missing = build_dependencies_missing()
    if missing:
        raise StepFailed(
            "Odoo's requirements compile against system libraries that are missing; install them "
            f"with:\n    sudo apt-get install -y {' '.join(missing)} python3-dev python3-venv"
        )
    os.makedirs(CACHE, exist_ok=True)
    log = os.path.join(CACHE, "pip.log")
    python = os.path.join(venv, "bin", "python")
    if not os.path.exists(python):
        print(f"    creating {venv} (pip output: {log})", flush=True)
        run([sys.executable, "-m", "venv", venv], log=log)
    constraints = os.path.join(CACHE, "constraints.txt")
    with open(constraints, "w") as fh:
        fh.write(CONSTRAINTS)
    env = dict(os.environ, PIP_CONSTRAINT=constraints)  # also read by pip's isolated build envs
    run([python, "-m", "pip", "install", "-q", "--upgrade", "pip", "wheel"], log=log, env=env)
    print("    installing Odoo's requirements and ours (a few minutes the first time)", flush=True)
    run(
        [python, "-m", "pip", "install", "-r", os.path.join(src, "requirements.txt")],
        log=log,
        env=env,
    )
    print(
        "    installing ours (scikit-learn, shap, rapidfuzz, phonenumbers, test tools)", flush=True
    )
    run([python, "-m", "pip", "install", "-r", os.path.join(ROOT, "requirements.txt"), "websocket-client"],
        log=log, env=env)  # fmt: skip
    with open(os.path.join(venv, ".crm_agent_requirements"), "w") as fh:
        fh.write(requirements_hash(src))


def find_odoo(args, runner):
    src = args.odoo_src or os.environ.get("CRM_AGENT_ODOO_SRC")
    if not src:
        found = imported_odoo(sys.executable)
        if found:
            print(f"\nOdoo 19: the one {sys.executable} imports ({found})")
            return OdooRuntime(sys.executable, found)
        src = os.path.join(CACHE, "odoo")
        if not source_version(src):
            runner.step(f"shallow clone of Odoo {ODOO_BRANCH} into {src}", clone_odoo, src)
    src = os.path.abspath(os.path.expanduser(src))
    version = source_version(src)
    if not version or not version.startswith("(19, 0"):
        print(
            f"!!! {src} is not an Odoo 19.0 source tree (odoo/release.py says {version or 'nothing'})"
        )
        raise SystemExit(1)
    if not os.path.isdir(os.path.join(src, "addons", "crm")):
        print(f"!!! {src}/addons has no crm module: is this Odoo Community's source?")
        raise SystemExit(1)
    venv = os.path.join(CACHE, "venv")
    with open(os.path.join(CACHE, "odoo-src"), "w") as fh:
        fh.write(src)  # tools/run_tests.py runs the Odoo tests with this source and venv
    marker = os.path.join(venv, ".crm_agent_requirements")
    done = os.path.exists(marker) and open(marker).read() == requirements_hash(src)
    if done:
        print(f"\nOdoo 19: {src}, with the virtualenv {venv} (ready)")
    else:
        runner.step(f"virtualenv {venv} with Odoo's requirements and ours", make_venv, src, venv)
    return OdooRuntime(os.path.join(venv, "bin", "python"), src, pythonpath=src)


# ---------------------------------------------------------------------------------------------
# PostgreSQL
# ---------------------------------------------------------------------------------------------


class Postgres:
    def __init__(self, host=None, port=None, user=None, password=None):
        self.host, self.port, self.user, self.password = host, port, user, password
        self.private = None  # the private cluster's data dir when we use it
        self.started_here = False
        self.run_as = None

    def odoo_args(self):
        args = []
        for option, value in (("--db_host", self.host), ("--db_port", self.port),
                              ("--db_user", self.user), ("--db_password", self.password)):  # fmt: skip
            if value:
                args.append(f"{option}={value}")
        return args

    def libpq_env(self, base):
        env = dict(base)
        for key, value in (("PGHOST", self.host), ("PGPORT", self.port), ("PGUSER", self.user),
                           ("PGPASSWORD", self.password)):  # fmt: skip
            if value:
                env[key] = str(value)
        return env

    def query(self, runtime, sql, params=(), dbname="postgres"):
        """Run one statement with the Odoo runtime's psycopg2; ``None`` when unreachable."""
        code = (
            "import json, sys, psycopg2\n"
            "conn = psycopg2.connect(dbname=sys.argv[1], connect_timeout=5)\n"
            "conn.autocommit = True\n"
            "cr = conn.cursor(); cr.execute(sys.argv[2], json.loads(sys.argv[3]))\n"
            "print(json.dumps(cr.fetchall() if cr.description else []))\n"
        )
        import json  # noqa: PLC0415

        proc = subprocess.run(
            [runtime.python, "-c", code, dbname, sql, json.dumps(list(params))],
            capture_output=True, text=True, env=self.libpq_env(runtime.env()),
        )  # fmt: skip
        if proc.returncode:
            lines = proc.stderr.strip().splitlines() or ["?"]
            errors = [line for line in lines if "Error" in line or "FATAL" in line]
            self.last_error = " ".join((errors[-1] if errors else lines[-1]).split())
            return None
        return json.loads(proc.stdout)

    def stop(self):
        if self.private and self.started_here:
            print(f"stopping the private PostgreSQL cluster ({self.private})", flush=True)
            run(
                [self.bin("pg_ctl"), "-D", self.private, "-m", "fast", "-w", "stop"],
                user=self.run_as,
                check=False,
            )
            self.started_here = False

    def bin(self, name):
        return os.path.join(self.bindir, name)


def postgres_bindir():
    found = shutil.which("initdb")
    if found:
        return os.path.dirname(found)
    base = "/usr/lib/postgresql"
    versions = sorted(
        (v for v in os.listdir(base) if os.path.exists(os.path.join(base, v, "bin", "initdb"))),
        key=lambda v: float(v) if v.replace(".", "").isdigit() else 0,
    ) if os.path.isdir(base) else []  # fmt: skip
    return os.path.join(base, versions[-1], "bin") if versions else None


def ensure_system_user(name):
    if subprocess.run(["id", "-u", name], capture_output=True).returncode == 0:
        return
    useradd = shutil.which("useradd") or "/usr/sbin/useradd"
    print(f"    creating the system user {name} (PostgreSQL refuses to run as root)", flush=True)
    subprocess.run(
        [useradd, "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name], check=True
    )


def start_private_cluster(pg, runtime):
    bindir = postgres_bindir()
    if not bindir:
        raise StepFailed(
            "no PostgreSQL server is reachable and PostgreSQL is not installed; install it with:\n"
            "    sudo apt-get install -y postgresql\n"
            "(or point to a server with --db-host/--db-port/--db-user/--db-password)"
        )
    pg.bindir = bindir
    base = os.path.join(CACHE, "pg")
    data, sock = os.path.join(base, "data"), os.path.join(base, "run")
    server_log = os.path.join(base, "postgresql.log")  # written by the server's own user
    log = os.path.join(CACHE, "pg-setup.log")  # the commands' output, written by us
    os.makedirs(sock, exist_ok=True)
    if os.geteuid() == 0:
        ensure_system_user(PG_SYSTEM_USER)
        pg.run_as = PG_SYSTEM_USER
        subprocess.run(["chown", "-R", f"{PG_SYSTEM_USER}:", base], check=True)
        if subprocess.run(["runuser", "-u", PG_SYSTEM_USER, "--", "test", "-w", base]).returncode:
            raise StepFailed(
                f"the system user {PG_SYSTEM_USER} cannot reach {base} (a parent folder is private); "
                "run the demo as an ordinary user, or give it a PostgreSQL server with --db-host"
            )
    pg.private = data
    port_file = os.path.join(base, "port")
    port = open(port_file).read().strip() if os.path.exists(port_file) else None
    if not port:
        port = str(free_port(55432))
        with open(port_file, "w") as fh:
            fh.write(port)
    pg.host, pg.port, pg.user, pg.password = sock, port, PG_ROLE, None
    if not os.path.exists(os.path.join(data, "PG_VERSION")):
        print(f"    initdb {data}", flush=True)
        shutil.rmtree(data, ignore_errors=True)
        run([pg.bin("initdb"), "-D", data, "-U", PG_ROLE, "--auth=trust", "-E", "UTF8", "--locale=C"],
            log=log, user=pg.run_as)  # fmt: skip
    status = run([pg.bin("pg_ctl"), "-D", data, "status"], log=log, user=pg.run_as, check=False)
    if status != 0:
        # Unix socket only, in our folder: trust authentication reaches no one else
        options = f"-k {sock} -p {port} -c listen_addresses=''"
        run(
            [pg.bin("pg_ctl"), "-D", data, "-l", server_log, "-o", options, "-w", "start"],
            log=log,
            user=pg.run_as,
        )
        pg.started_here = True
    if pg.query(runtime, "SELECT 1") is None:
        raise StepFailed(
            f"the private cluster does not answer: {pg.last_error} (log: {server_log})"
        )
    return pg


def free_port(start):
    for port in range(start, start + 200):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise StepFailed("no free port")


def find_postgres(args, runtime, runner):
    pg = Postgres(args.db_host, args.db_port, args.db_user, args.db_password)
    private = args.private_pg or os.environ.get("CRM_AGENT_PRIVATE_PG") == "1"
    if not private:
        if pg.query(runtime, "SELECT 1") is not None:
            where = pg.host or os.environ.get("PGHOST") or "the default socket"
            print(f"\nPostgreSQL: the running server ({where})")
            return pg
        print(f"\nPostgreSQL: no server reachable ({pg.last_error}); using a private cluster")
    runner.step("private PostgreSQL cluster in .cache/pg", start_private_cluster, pg, runtime)
    print(f"    PostgreSQL on the socket {pg.host} (port {pg.port}), role {pg.user}")
    return pg


# ---------------------------------------------------------------------------------------------
# Database, data, server
# ---------------------------------------------------------------------------------------------


def odoo_db_args(runtime, pg, db):
    return [
        "-d",
        db,
        f"--addons-path={runtime.addons_path()}",
        f"--db-filter=^{db}$",
        *pg.odoo_args(),
    ]


def installed(runtime, pg, db):
    rows = pg.query(runtime, "SELECT name FROM ir_module_module WHERE state = 'installed' AND name = ANY(%s)",
                    [MODULES], dbname=db)  # fmt: skip
    return rows is not None and len(rows) == len(MODULES)


def drop_database(runtime, pg, db):
    pg.query(
        runtime, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [db]
    )
    if pg.query(runtime, f'DROP DATABASE IF EXISTS "{db}"') is None:  # db: checked by DB_NAME_OK
        raise StepFailed(f"could not drop {db}: {pg.last_error}")


def build_database(runtime, pg, db):
    drop_database(runtime, pg, db)  # a half-installed database is not worth repairing
    log = os.path.join(CACHE, f"{db}-install.log")
    print(f"    installing {', '.join(MODULES)} (log: {log})", flush=True)
    run(runtime.command("server", *odoo_db_args(runtime, pg, db), "-i", ",".join(MODULES),
                        "--stop-after-init", "--max-cron-threads=0", "--http-port", str(free_port(18069))),
        log=log, env=runtime.env())  # fmt: skip
    if not installed(runtime, pg, db):
        raise StepFailed(f"the modules are not installed on {db}; see {log}")


def load_data(runtime, pg, db, args):
    loader = os.path.join(ROOT, "tools", "demo_data", "load.py")
    cmd = [runtime.python, loader, "--seed", str(args.seed), "--size", args.size, "--",
           *odoo_db_args(runtime, pg, db), "--http-interface=127.0.0.1", "--log-level=warn"]  # fmt: skip
    if subprocess.call(cmd, env=runtime.env(), cwd=ROOT):
        raise StepFailed("loading the demo business failed (the error is above)")


def data_done(runtime, pg, db):
    rows = pg.query(runtime, "SELECT value FROM ir_config_parameter WHERE key = %s",
                    ["crm_agent_demo.step.agent_run"], dbname=db)  # fmt: skip
    return bool(rows)


def serve(runtime, pg, db, args):
    log_file = os.path.join(CACHE, f"{db}-server.log")
    cmd = runtime.command("server", *odoo_db_args(runtime, pg, db), "--http-interface=127.0.0.1",
                          f"--http-port={args.port}", "--max-cron-threads=1", f"--logfile={log_file}")  # fmt: skip
    proc = subprocess.Popen(cmd, env=runtime.env(), cwd=ROOT)
    url = f"http://127.0.0.1:{args.port}"
    started = time.monotonic()
    while time.monotonic() - started < 120:
        if proc.poll() is not None:
            raise StepFailed(f"Odoo stopped (exit {proc.returncode}); see {log_file}")
        try:
            urllib.request.urlopen(f"{url}/web/login", timeout=2).close()  # noqa: S310 - our own URL
            break
        except OSError:
            time.sleep(0.5)
    return proc, url, log_file


def banner(url, db, log_file, pg):
    print("\n" + "=" * 78)
    print(f"  Odoo is up: {url}/odoo/crm   (database {db}; server log: {log_file})")
    print("  Logins (login / password):")
    for login, password, role in LOGINS:
        print(f"    {login:9} / {password:9} {role}")
    print("  Look first:")
    print("    - as approver: the clock icon (activities) > Contact: each Agent approval shows two")
    print("      duplicate contacts side by side; Mark Done approves: see the merged contact and")
    print("      the agent's note on its chatter (Cancel asks: wrong, or just not now)")
    print("    - as rep: CRM > Agent > My day: leads to act on now with their best time, drafted")
    print("      follow-ups to review in Odoo's mail composer, what the agent did since yesterday")
    print("    - CRM pipeline: each card has a score; open a lead for its reasons")
    print("    - CRM > Agent > Proposals / History: phones standardised (with Undo), captured")
    print("      contacts from inbound mail, meetings logged and to-dos from their notes")
    print("    - CRM > Agent > Scoring models: the validation against Odoo's PLS")
    if pg.private and not pg.started_here:
        print(
            f"  The private PostgreSQL cluster keeps running; stop it with: {pg.bin('pg_ctl')} -D {pg.private} stop"
        )
    print(
        "  Ctrl-C stops Odoo" + (" and the private PostgreSQL cluster." if pg.started_here else ".")
    )
    print("=" * 78, flush=True)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--odoo-src", help="an Odoo 19.0 source tree (env CRM_AGENT_ODOO_SRC)")
    parser.add_argument(
        "--db", default=os.environ.get("CRM_AGENT_DEMO_DB", "crm_agent_demo"), help="database name"
    )
    parser.add_argument("--reset", action="store_true", help="drop and rebuild the demo database")
    parser.add_argument(
        "--size",
        choices=("full", "small"),
        default="full",
        help="small: a quick database for tests",
    )
    parser.add_argument(
        "--seed", type=int, default=1, help="the generated business (same seed, same data)"
    )
    parser.add_argument(
        "--port", type=int, default=int(os.environ.get("CRM_AGENT_DEMO_PORT", 8069))
    )
    parser.add_argument("--no-serve", action="store_true", help="build the database, then stop")
    parser.add_argument(
        "--private-pg",
        action="store_true",
        help="ignore any running server: use a private cluster in .cache/pg (env CRM_AGENT_PRIVATE_PG=1)",
    )
    parser.add_argument("--db-host")
    parser.add_argument("--db-port")
    parser.add_argument("--db-user")
    parser.add_argument("--db-password")
    args = parser.parse_args()
    if not args.db.replace("_", "").replace("-", "").isalnum():
        parser.error("--db: letters, digits, '_' and '-' only")  # DB_NAME_OK: it is quoted into SQL

    retry = " ".join(
        [
            os.path.basename(sys.executable),
            "tools/demo.py",
            *[a for a in sys.argv[1:] if a != "--reset"],
        ]
    )
    runner = Runner(retry)
    os.makedirs(CACHE, exist_ok=True)
    pg = None
    proc = None
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        runtime = find_odoo(args, runner)
        pg = find_postgres(args, runtime, runner)
        db = args.db
        if args.reset:
            runner.step(f"drop the database {db} (--reset)", drop_database, runtime, pg, db)
        if installed(runtime, pg, db):
            print(f"\nDatabase {db}: crm and the addons are installed")
        else:
            runner.step(
                f"database {db}: install crm and the three addons", build_database, runtime, pg, db
            )
        if data_done(runtime, pg, db):
            print(f"Database {db}: the demo business is loaded and the agent ran")
        else:
            runner.step(f"demo business (seed {args.seed}, size {args.size}) and the agent's first run",
                        load_data, runtime, pg, db, args)  # fmt: skip
        if args.no_serve:
            runner.summary()
            return 0
        proc, url, log_file = runner.step(
            f"start Odoo on 127.0.0.1:{args.port}", serve, runtime, pg, db, args
        )
        runner.summary()
        banner(url, db, log_file, pg)
        proc.wait()
        print(f"Odoo stopped (exit {proc.returncode})")
        return proc.returncode
    except KeyboardInterrupt:
        print("\nCtrl-C: stopping", flush=True)
        if proc and proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        return 130
    finally:
        if proc and proc.poll() is None:
            proc.terminate()
        if pg:
            pg.stop()


if __name__ == "__main__":
    sys.exit(main())
