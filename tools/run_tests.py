#!/usr/bin/env python3
"""The project's one test command.

0. The linters that pre-commit declares (ruff, ruff format, pylint-odoo 19.0-aware).
1. Always: the pure-Python engine tests (top-level ``tests/``) with pytest, no Odoo needed.
2. When Odoo is importable: reach (or start) PostgreSQL, create a throw-away database, install the
   three addons with demo data while running their Odoo tests, uninstall them, install and
   uninstall them again on a database without demo data, and drop the databases.
   ``--crm-suite`` also runs Odoo's own CRM tests (``--test-tags /crm``) on the database without
   demo data, with our modules installed, as Odoo runs them.
   Then the demo: ``tools/demo.py --size small --no-serve`` builds a small demo database with the
   real command, and its Odoo tests (``crm_agent_demo``: the first screen's content and the
   approver's first minutes in a browser tour) run on it.
3. Where ``python3`` does not import Odoo but ``tools/demo.py`` has built its environment
   (``.cache/venv`` with the Odoo source it names in ``.cache/odoo-src``), the Odoo tests run with
   that environment, saying so. Where there is neither, one loud line says that the Odoo tests did
   not run and why.

It ends with one line ``tests: N passed, N failed`` counting only tests that ran, and exits
non-zero when anything failed.
"""

import argparse
import getpass
import importlib.util
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODULES = ["crm_agent", "crm_agent_scoring", "crm_agent_hygiene"]
RESULT_RE = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests")


def banner(text):
    print(f"\n=== {text}", flush=True)


def run_engine_tests(pytest_args):
    banner("engine tests (pytest, no Odoo)")
    with tempfile.TemporaryDirectory() as tmp:
        junit = os.path.join(tmp, "engine.xml")
        cmd = [sys.executable, "-m", "pytest", "-p", "no:odoo", "-q", f"--junitxml={junit}"]
        cmd += pytest_args or ["tests"]
        rc = subprocess.call(cmd, cwd=ROOT)
        if rc not in (0, 1) or not os.path.exists(junit):
            print(f"pytest ended abnormally (exit {rc})")
            return 0, 1
        suite = ET.parse(junit).getroot()
        suites = [suite] if suite.tag == "testsuite" else list(suite)
        total = sum(int(s.get("tests", 0)) for s in suites)
        failed = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
        skipped = sum(int(s.get("skipped", 0)) for s in suites)
        if total - skipped == 0:
            print("pytest ran no engine test")
            return 0, 1
        return total - failed - skipped, failed


LINT_COMMANDS = [
    ("ruff check", [sys.executable, "-m", "ruff", "check", "."]),
    ("ruff format", [sys.executable, "-m", "ruff", "format", "--check", "."]),
    (
        "pylint-odoo",
        [
            sys.executable, "-m", "pylint", "--rcfile=.pylintrc", "--disable=missing-readme",
            "--output-format=text", *MODULES,
        ],
    ),
]  # fmt: skip


def run_linters():
    """The linters pre-commit declares (same versions, from requirements.txt): each is one
    check in the final count, and any finding fails it."""
    banner("linters (ruff, ruff format, pylint-odoo for 19.0)")
    passed = failed = 0
    for title, cmd in LINT_COMMANDS:
        if importlib.util.find_spec(cmd[2]) is None:
            print(
                f"!!! LINTER MISSING: {cmd[2]} (pip install -r requirements.txt): counted as failed"
            )
            failed += 1
            continue
        rc = subprocess.call(cmd, cwd=ROOT)
        print(f"{title}: {'ok' if rc == 0 else f'FAILED (exit {rc})'}", flush=True)
        passed, failed = passed + (rc == 0), failed + (rc != 0)
    return passed, failed


def odoo_missing_reason():
    if importlib.util.find_spec("odoo") is None:
        return f"'import odoo' fails in {sys.executable}: Odoo 19.0 is not installed here"
    try:
        import odoo.release  # noqa: PLC0415
    except Exception as exc:  # noqa: BLE001
        return f"'import odoo.release' failed: {exc}"
    if odoo.release.version_info[0] != 19:
        return f"Odoo {odoo.release.version} is installed, these addons target 19.0"
    return None


def demo_environment():
    """``(python, odoo_source)`` of the environment tools/demo.py built, or None."""
    cache = os.path.join(ROOT, ".cache")
    python = os.path.join(cache, "venv", "bin", "python")
    marker = os.path.join(cache, "venv", ".crm_agent_requirements")
    src_file = os.path.join(cache, "odoo-src")
    if not (os.path.exists(python) and os.path.exists(marker) and os.path.exists(src_file)):
        return None
    with open(src_file) as fh:
        src = fh.read().strip()
    return (python, src) if os.path.isfile(os.path.join(src, "odoo", "release.py")) else None


def run_odoo_in_demo_environment(reason, env_found):
    """Run this script's Odoo part with the demo command's Python and Odoo source."""
    python, src = env_found
    print(f"'import odoo' fails here ({reason});")
    print(
        f"using the demo command's environment instead: {python} with Odoo from {src}", flush=True
    )
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")]))
    )
    cmd = [python, os.path.abspath(__file__), "--odoo-only", *sys.argv[1:]]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    counts = None
    for line in proc.stdout:
        sys.stdout.write(line)
        match = re.match(r"tests: (\d+) passed, (\d+) failed", line.strip())
        if match:
            counts = int(match.group(1)), int(match.group(2))
    rc = proc.wait()
    if counts is None:
        print(f"the Odoo tests in the demo environment ended without a count (exit {rc})")
        return 0, 1
    return counts


def odoo_addons_path():
    import odoo.release  # noqa: PLC0415

    import odoo.addons  # noqa: PLC0415

    paths = [p for p in odoo.addons.__path__ if os.path.isdir(p)]
    source_root = os.path.dirname(os.path.dirname(os.path.abspath(odoo.release.__file__)))
    community = os.path.join(source_root, "addons")
    if os.path.isdir(os.path.join(community, "crm")):
        paths.insert(0, community)
    return ",".join(paths + [ROOT])


def pg_connect(dbname="postgres"):
    import psycopg2  # noqa: PLC0415 - an Odoo dependency

    return psycopg2.connect(dbname=dbname, connect_timeout=5)


def ensure_postgres():
    """Reach PostgreSQL over the default socket; start the local cluster if it is down."""
    try:
        pg_connect().close()
        return None
    except Exception as first:  # noqa: BLE001
        error = first
    started = False
    if shutil.which("pg_lsclusters") and shutil.which("pg_ctlcluster"):
        listing = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True).stdout
        for line in listing.splitlines():
            parts = line.split()
            if len(parts) >= 4 and parts[3] != "online":
                print(f"starting PostgreSQL cluster {parts[0]}/{parts[1]}")
                subprocess.call(["pg_ctlcluster", parts[0], parts[1], "start"])
                started = True
    for _attempt in range(20):
        try:
            pg_connect().close()
            return None
        except Exception as exc:  # noqa: BLE001
            error = exc
            if "role" in str(exc) and "does not exist" in str(exc) and os.geteuid() == 0:
                user = getpass.getuser()
                print(f"creating PostgreSQL superuser role {user}")
                subprocess.call(["su", "postgres", "-c", f"createuser -s {user}"])
            elif not started:
                break
            time.sleep(1)
    return f"PostgreSQL is not reachable: {error}".strip()


def drop_database(name):
    conn = pg_connect()
    conn.autocommit = True
    with conn.cursor() as cr:
        cr.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
        )
        cr.execute(f'DROP DATABASE IF EXISTS "{name}"')  # name is ours: crm_agent_test_<pid>_...
    conn.close()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def odoo_command(db, *args):
    return [
        sys.executable, "-m", "odoo", "server", "-d", db, f"--addons-path={odoo_addons_path()}",
        "--db-filter", f"^{db}$", "--http-interface=127.0.0.1", f"--http-port={free_port()}",
        "--stop-after-init", "--max-cron-threads=0", *args,
    ]  # fmt: skip


def run_logged(cmd, log_path, title):
    banner(title)
    print(" ".join(cmd), flush=True)
    started = time.time()
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        for line in proc.stdout:
            log.write(line)
            if any(
                k in line
                for k in (
                    " ERROR ",
                    " CRITICAL ",
                    "FAIL:",
                    "ERROR:",
                    "odoo.tests.result",
                    " tests in ",
                )
            ):
                sys.stdout.write(line)
        rc = proc.wait()
    print(f"exit {rc} after {time.time() - started:.0f} s (full log: {log_path})", flush=True)
    return rc


def odoo_results(log_path, rc):
    """Return (passed, failed) from Odoo's test log; a crash counts as one failure."""
    with open(log_path) as log:
        text = log.read()
    matches = RESULT_RE.findall(text)
    if not matches:
        return 0, (1 if rc else 0), 0
    failed, errors, total = (int(v) for v in matches[-1])
    failed += errors
    if rc and not failed:
        failed = 1  # e.g. a module failed to load after its tests passed
    return total - (failed if total >= failed else 0), failed, total


def uninstall(db, log_dir, tag):
    """Uninstall the addons with Odoo's own command and check nothing of theirs is left."""
    conf = os.path.join(log_dir, f"{tag}.conf")  # the 'module' command reads the addons path here
    with open(conf, "w") as fh:
        fh.write(f"[options]\naddons_path = {odoo_addons_path()}\ndb_name = {db}\n")
    rc = run_logged(
        [sys.executable, "-m", "odoo", "module", "uninstall", "-c", conf, *MODULES],
        os.path.join(log_dir, f"uninstall-{tag}.log"),
        f"uninstall the addons ({tag})",
    )
    if rc:
        return False
    conn = pg_connect(db)
    with conn.cursor() as cr:
        cr.execute("SELECT name, state FROM ir_module_module WHERE name = ANY(%s)", [MODULES])
        states = dict(cr.fetchall())
        cr.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'crm_agent%%'"
        )
        tables = cr.fetchone()[0]
    conn.close()
    ok = all(state == "uninstalled" for state in states.values()) and tables == 0
    print(f"after uninstall: modules {states}, crm_agent tables left: {tables}")
    return ok


def run_demo_checks(args, log_dir, stamp):
    """``tools/demo.py --size small --no-serve`` on a throw-away database, then the demo's Odoo
    tests (first screen, approver tour) on it. The build counts as one test."""
    db = f"crm_agent_test_{stamp}_demo_small"
    passed = failed = 0
    try:
        drop_database(db)
        log = os.path.join(log_dir, "demo-build.log")
        cmd = [
            sys.executable,
            os.path.join(ROOT, "tools", "demo.py"),
            "--db",
            db,
            "--size",
            "small",
            "--no-serve",
        ]
        rc = run_logged(cmd, log, "build a small demo database with tools/demo.py")
        if rc:
            print(f"the demo build failed: see {log}")
            return 0, 1
        passed += 1
        log = os.path.join(log_dir, "demo-tests.log")
        test_tags = "/crm_agent:TestDemoFirstScreen,/crm_agent:TestDemoTour"
        rc = run_logged(
            odoo_command(db, f"--test-tags={test_tags}", "--log-level=test"),
            log,
            "the demo's Odoo tests: first screen and the approver's tour",
        )
        p, f, total = odoo_results(log, rc)
        with open(log) as fh:
            skipped = "not a database built by tools/demo.py" in fh.read()
        print(f"demo tests: {total} ran, {f} failed")
        if total == 0 or skipped:
            print("the demo tests did not run on the demo database: counting it as a failure")
            f += 1
        passed, failed = passed + p, failed + f
    finally:
        if not args.keep_db:
            drop_database(db)
    return passed, failed


def run_odoo(args):
    banner("Odoo tests")
    reason = odoo_missing_reason()
    if reason and not os.environ.get("CRM_AGENT_IN_DEMO_ENV"):
        env_found = demo_environment()
        if env_found:
            os.environ["CRM_AGENT_IN_DEMO_ENV"] = "1"  # the child must not look again
            return run_odoo_in_demo_environment(reason, env_found)
    if reason:
        print("!" * 100)
        print(f"!!! ODOO TESTS SKIPPED: {reason}. Only the engine tests ran. !!!")
        print("!" * 100, flush=True)
        return 0, 0
    reason = ensure_postgres()
    if reason:
        print(f"!!! ODOO TESTS FAILED TO START: {reason}")
        return 0, 1
    log_dir = os.path.join(ROOT, ".odoo-test", str(os.getpid()))
    os.makedirs(log_dir, exist_ok=True)
    passed = failed = 0
    tags = ",".join(f"/{m}" for m in MODULES) if not args.test_tags else args.test_tags
    stamp = f"{os.getpid()}"

    # 1. demo database: install with demo data and run our tests, then uninstall
    db = f"crm_agent_test_{stamp}_demo"
    try:
        drop_database(db)
        log = os.path.join(log_dir, "demo.log")
        rc = run_logged(
            odoo_command(
                db,
                "-i",
                ",".join(MODULES),
                "--with-demo",
                f"--test-tags={tags}",
                "--log-level=test",
            ),
            log,
            "install the addons with demo data and run their Odoo tests",
        )
        p, f, total = odoo_results(log, rc)
        print(f"Odoo tests of our addons: {total} ran, {f} failed")
        if total == 0 and not f:
            print("no Odoo test ran: counting it as a failure")
            f = 1
        passed, failed = passed + p, failed + f
        if not rc:
            ok = uninstall(db, log_dir, "demo")
            passed, failed = passed + ok, failed + (not ok)
    finally:
        if not args.keep_db:
            drop_database(db)

    # 2. the demo database, built by the real run command, and its Odoo tests
    if not args.skip_demo and not args.test_tags:
        p, f = run_demo_checks(args, log_dir, stamp)
        passed, failed = passed + p, failed + f

    # 3. database without demo data: install, (Odoo's CRM suite), uninstall
    if not args.skip_nodemo:
        db = f"crm_agent_test_{stamp}_nodemo"
        try:
            drop_database(db)
            log = os.path.join(log_dir, "nodemo.log")
            extra = (
                ["--test-tags=/crm", "--log-level=test"] if args.crm_suite else ["--log-level=info"]
            )
            modules = ",".join(["crm", *MODULES])
            title = "install crm and the addons without demo data"
            if args.crm_suite:
                title += ", running Odoo's own CRM suite"
            rc = run_logged(odoo_command(db, "-i", modules, *extra), log, title)
            if args.crm_suite:
                p, f, total = odoo_results(log, rc)
                print(f"Odoo's CRM suite with our addons installed: {total} ran, {f} failed")
                passed, failed = passed + p, failed + f
            else:
                passed, failed = passed + (not rc), failed + bool(rc)
            if not rc:
                ok = uninstall(db, log_dir, "nodemo")
                passed, failed = passed + ok, failed + (not ok)
        finally:
            if not args.keep_db:
                drop_database(db)
    return passed, failed


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--crm-suite", action="store_true", help="also run Odoo's own CRM tests")
    parser.add_argument("--engine-only", action="store_true", help="skip the Odoo tests")
    parser.add_argument("--odoo-only", action="store_true", help="skip the engine tests")
    parser.add_argument(
        "--skip-nodemo", action="store_true", help="skip the database without demo data"
    )
    parser.add_argument(
        "--skip-demo", action="store_true", help="skip the small demo database and its tests"
    )
    parser.add_argument("--no-lint", action="store_true", help="skip the linters")
    parser.add_argument("--test-tags", help="Odoo test tags (default: our three addons)")
    parser.add_argument("--keep-db", action="store_true", help="keep the test databases")
    parser.add_argument("pytest_args", nargs="*", help="arguments for the engine pytest run")
    args = parser.parse_args()

    passed = failed = 0
    if not args.no_lint and not args.odoo_only:
        p, f = run_linters()
        passed, failed = passed + p, failed + f
    if not args.odoo_only:
        p, f = run_engine_tests(args.pytest_args)
        passed, failed = passed + p, failed + f
    if args.engine_only:
        print("!!! ODOO TESTS SKIPPED: --engine-only was given. !!!")
    else:
        p, f = run_odoo(args)
        passed, failed = passed + p, failed + f
    print(f"\ntests: {passed} passed, {failed} failed", flush=True)
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
