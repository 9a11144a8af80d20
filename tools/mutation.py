"""`make mutation`: mutmut over the rule modules, one module at a time, each with the tests that cover it.

Each module runs in its own scratch copy of the repository (build/mutation/<module>/): mutmut reads its
settings from pyproject.toml's [tool.mutmut], and this script writes the module and its tests there, so the
committed pyproject keeps the settings shared by every module (SQLite only: the PostgreSQL half of a test
checks the engine, not the rule). The report, build/mutation/report.md, gives killed / survived / no tests /
timeout per module and names each survivor; survivors judged equivalent are listed in tests/BREAKAGES.md
(section "Equivalent mutants") and counted apart.

    .venv/bin/python tools/mutation.py                  # every module of TARGETS
    .venv/bin/python tools/mutation.py domain/fees.py   # some of them
    MUTATION_AGAIN=1 .venv/bin/python tools/mutation.py app/intake/uploads.py   # its last survivors only
    MUTATION_RESUME=1 .venv/bin/python tools/mutation.py app/signing/verify.py  # a stopped run goes on
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "build" / "mutation"
UNIT = "tests/unit"

# module -> the tests that cover it (mutmut runs, per mutant, only those that call the mutated function)
TARGETS: dict[str, list[str]] = {
    "domain/fees.py": ["tests/unit/test_fees.py", "tests/integration/test_fee_per_copy.py"],
    "domain/workflow.py": ["tests/unit/test_workflow.py"],
    "domain/otp.py": ["tests/unit/test_otp.py"],
    "domain/register/check.py": ["tests/integration/test_verify_register.py"],
    "app/intake/sniff.py": ["tests/unit/test_sniff.py", "tests/unit/test_uploads.py"],
    "domain/deadlines.py": ["tests/unit/test_deadlines.py"],
    "domain/calendar.py": ["tests/unit/test_calendar.py", "tests/unit/test_deadlines.py"],
    "domain/passwords.py": ["tests/unit/test_passwords.py"],
    "domain/refusal.py": ["tests/unit/test_refusal.py"],
    "domain/phone.py": ["tests/unit/test_phone.py"],
    "domain/scan_order.py": ["tests/integration/test_scan_order.py"],
    "domain/email_address.py": ["tests/integration/test_mail_addresses.py"],
    "domain/register/numbering.py": ["tests/unit/test_register_hash.py",
                                     "tests/integration/test_register_counters.py",
                                     "tests/integration/test_verify_register.py"],
    "domain/office_scope.py": ["tests/integration/test_office_scope.py"],
    "domain/access.py": ["tests/integration/test_office_scope.py", "tests/integration/test_accounts_db.py",
                         "tests/integration/test_citizen_accounts.py"],  # rights_by_office
    # the rules in memory first (mutmut runs the fastest covering test first and stops at a failure); the
    # integration files add the engine's side (a locked SQLite touch, times read back)
    "domain/accounts.py": ["tests/unit/test_account_rules.py", "tests/unit/test_account_sessions.py",
                           "tests/integration/test_accounts_db.py", "tests/integration/test_lockout.py"],
    "domain/signing/verification.py": ["tests/unit/test_verification_verdicts.py",
                                       "tests/integration/test_public_verify_cache.py"],
    # the checks themselves (tests/integration/test_bad_inputs.py, the same files through the pages and the
    # API, took ~15 s a surviving mutant)
    "app/intake/uploads.py": ["tests/unit/test_uploads.py", "tests/unit/test_upload_refusals.py"],
    # hand-made archives (tests/integration/test_backup.py signs and backs up a whole office first: its
    # round trip is the real path, minutes a mutant)
    "app/backup/restore.py": ["tests/unit/test_restore_rules.py"],
    "app/verification/public_verify.py": ["tests/ui/test_verify_pages.py",
                             "tests/integration/test_public_verify_cache.py"],
    # the copies signed once by the stats pass (TEST_ISSUED_COPY_DIR); not the product's refusal to sign
    # with a revoked key (the signing worker, not the verifier)
    "app/signing/verify.py": [
        "tests/unit/test_trust_roots.py", "tests/integration/test_signing_verify.py",
        "tests/integration/test_revoked_certificates.py::"
        "test_a_copy_signed_after_the_leader_certificate_was_revoked_is_invalid",
        "tests/integration/test_revoked_certificates.py::"
        "test_a_certificate_revoked_after_signing_leaves_a_genuine_copy_valid"],
    # the rules with NiceGUI's storage and navigation stood in for; the same paths through the real server
    # (tests/ui/test_trust_boundaries.py) took ~30 s a mutant: 296 mutants would not fit the hour
    "app/web/auth.py": ["tests/unit/test_web_auth.py"],
}
# ignored at the top only: domain/data holds the password lists
TOP_IGNORE = {".venv", "build", "data", "mutants", ".git"}


def copy_ignore(folder: str, names: list[str]) -> set[str]:
    ignored = {n for n in names if n in ("__pycache__", ".nicegui")}
    if Path(folder).resolve() == ROOT:
        ignored |= TOP_IGNORE & set(names)
    if Path(folder).resolve() == ROOT / "tests":
        ignored |= {"artifacts"} & set(names)
    return ignored


def slug(module: str) -> str:
    return module.replace("/", "-").removesuffix(".py")


def scratch(module: str) -> Path:
    """A copy of the tree with [tool.mutmut] naming this module and its tests."""
    work = OUT / slug(module)
    if os.environ.get("MUTATION_RESUME") == "1" and (work / "mutants").is_dir():
        return work  # a stopped run goes on: mutmut keeps each mutant's verdict in mutants/
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(ROOT, work, ignore=copy_ignore)
    (work / ".venv").symlink_to((ROOT / ".venv").resolve())
    text = (work / "pyproject.toml").read_text()
    tests = json.dumps(TARGETS[module])
    text = re.sub(r'(?m)^only_mutate = .*$', f"only_mutate = {json.dumps([module])}", text)
    text = re.sub(r'(?m)^pytest_add_cli_args_test_selection = .*$',
                  f"pytest_add_cli_args_test_selection = {tests}", text)
    (work / "pyproject.toml").write_text(text)
    return work


@contextlib.contextmanager
def demo_pki_services():
    """One demo PKI (keys, CRL, OCSP, TSA) for the whole run, named to the tests by TEST_PKI_DIR/TEST_PKI_URL:
    otherwise every mutant's pytest session makes five RSA keys and starts and stops a server (~1 s)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    directory = OUT / f"pki-{os.getpid()}"  # its own: two runs side by side must not share one
    shutil.rmtree(directory, ignore_errors=True)
    url = f"http://127.0.0.1:{port}"
    code = ("import sys; from app.pki.demo_pki import DemoPki; from app.pki.services import serve_forever; "
            "serve_forever(DemoPki(sys.argv[1]).ensure(sys.argv[2]), '127.0.0.1', int(sys.argv[3]))")
    server = subprocess.Popen([sys.executable, "-c", code, str(directory), url, str(port)], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not (directory / "registry.json").exists() or not _answers(port):
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the demo PKI services did not start")
            time.sleep(0.2)
        yield {"TEST_PKI_DIR": str(directory), "TEST_PKI_URL": url}
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(directory, ignore_errors=True)


def _answers(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def run_module(module: str, children: int, pki_env: dict) -> dict:
    # MUTATION_AGAIN=1: only the survivors of the module's last run, against today's tests (after a triage)
    again = previous_survivors(module) if os.environ.get("MUTATION_AGAIN") == "1" else []
    work = scratch(module)
    # The migrated, seeded database every test copies (tests/support/db_template.py) is made once, by the
    # unmutated code of the stats run, in a folder of this module's run: mutmut runs pytest many times in
    # one process, and a per-session template would name a folder pytest has since removed.
    env = dict(os.environ, TESTS_ALLOW_MISSING="postgresql", OMP_THREAD_LIMIT="1",
               TEST_DB_TEMPLATE_DIR=str(work / "db-template"), PYTEST_DEBUG_TEMPROOT=str(work / "tmp"),
               TEST_ISSUED_COPY_DIR=str(work / "issued-copies"),  # tests/support/ltv.py: signed once
               **pki_env)
    # pytest's temporary folders in the scratch, all kept until the end ([tool.mutmut] sets the retention):
    # a module-level cache of a test (a template office) names a folder of the stats run that pytest would
    # otherwise remove three sessions later, failing the test and counting a kill that is not one
    (work / "tmp").mkdir(exist_ok=True)
    env.pop("TEST_PG_URL", None)
    started = time.monotonic()
    log = OUT / f"{slug(module)}.log"
    with log.open("w") as f:
        subprocess.run([str(work / ".venv/bin/python"), str(Path(__file__).resolve()), "--mutmut-run",
                        str(children), *again], cwd=work, env=env, stdout=f, stderr=subprocess.STDOUT,
                       check=False)
    shutil.rmtree(work / "tmp", ignore_errors=True)
    counts = results_of(work, module, set(again))
    counts["seconds"] = round(time.monotonic() - started)
    write_survivor_diffs(work, module, counts["survivors"], env)
    return counts


def previous_survivors(module: str) -> list[str]:
    diff = OUT / f"{slug(module)}.survivors.diff"
    return re.findall(r"(?m)^## (\S+)$", diff.read_text()) if diff.exists() else []


def write_survivor_diffs(work: Path, module: str, survivors: list[str], env: dict) -> None:
    """build/mutation/<module>.survivors.diff: each survivor's change, for the triage."""
    parts = []
    for name in survivors:
        shown = subprocess.run([str(work / ".venv/bin/mutmut"), "show", name], cwd=work, env=env,
                               capture_output=True, text=True, check=False)
        lines = [ln for ln in shown.stdout.splitlines() if ln[:1] in "+-" and ln[:3] not in ("+++", "---")]
        parts.append(f"## {name}\n" + "\n".join(lines))
    (OUT / f"{slug(module)}.survivors.diff").write_text("\n\n".join(parts) + "\n")


STATUS = {0: "survived", 1: "killed", 3: "killed", -24: "timeout", 24: "timeout", 33: "no tests",
          34: "skipped", 35: "suspicious", 36: "timeout", 37: "caught by type check", 152: "timeout",
          -11: "segfault", -9: "segfault", 5: "no tests", 255: "timeout"}


def results_of(work: Path, module: str, only: set[str] | None = None) -> dict:
    """Read mutmut's per-file results (mutants/<module>.meta: exit code per mutant), of `only` if given."""
    meta = work / "mutants" / (module + ".meta")
    out: dict = {"module": module, "killed": 0, "survived": 0, "equivalent": 0, "no tests": 0, "timeout": 0,
                 "other": 0, "survivors": []}
    if not meta.exists():
        out["error"] = "no results (see the log)"
        return out
    codes = json.loads(meta.read_text()).get("exit_code_by_key", {})
    if only:
        codes = {name: code for name, code in codes.items() if name in only}
    equivalent = equivalent_mutants()
    if codes and all(code is None for code in codes.values()):
        out["error"] = "no mutant was run (see the log: the unmutated tests failed?)"
    for name, code in sorted(codes.items()):
        status = "not run" if code is None else STATUS.get(code, "killed" if code else "survived")
        if status == "survived" and name in equivalent:
            out["equivalent"] += 1
        elif status in out:
            out[status] += 1
            if status == "survived":
                out["survivors"].append(name)
        else:
            out["other"] += 1
    return out


def equivalent_mutants() -> set[str]:
    """Mutant names listed in tests/BREAKAGES.md under "Equivalent mutants" (first cell, in backticks)."""
    text = (ROOT / "tests" / "BREAKAGES.md").read_text()
    part = text.split("## Equivalent mutants", 1)[1] if "## Equivalent mutants" in text else ""
    return set(re.findall(r"^\| `([^`]+)` \|", part, flags=re.M))


def report(rows: list[dict]) -> str:
    lines = ["| module | mutants | killed | survived | equivalent | no tests | timeout | score | seconds |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        kinds = ("killed", "survived", "equivalent", "no tests", "timeout", "other")
        total = sum(r[k] for k in kinds)
        judged = total - r["equivalent"]
        score = f"{100 * (r['killed'] + r['timeout']) / judged:.0f} %" if judged else "—"
        cells = " | ".join(str(r[k]) for k in kinds[:5])
        lines.append(f"| {r['module']} | {total} | {cells} | {score} | {r.get('seconds', '')} |")
    for r in rows:
        if r["survivors"] or r.get("error"):
            lines.append(f"\n{r['module']}: {r.get('error', '')} survivors: " + ", ".join(r["survivors"]))
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    modules = argv or list(TARGETS)
    unknown = [m for m in modules if m not in TARGETS]
    if unknown:
        print(f"not a mutation target: {unknown}", file=sys.stderr)
        return 2
    tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]  # the shared settings exist
    OUT.mkdir(parents=True, exist_ok=True)
    children = int(os.environ.get("MUTATION_CHILDREN", "2"))  # two cores
    rows = []
    with demo_pki_services() as pki_env:
        for module in modules:
            print(f"== {module}", flush=True)
            rows.append(run_module(module, children, pki_env))
            (OUT / "report.md").write_text(report(rows))
            print(report(rows[-1:]), flush=True)
    print(report(rows))
    return 0 if all(not r["survivors"] for r in rows) else 1


def mutmut_run(children: str, names: list[str]) -> None:
    """`mutmut run` without its "clean tests" pass: a fresh scratch always runs the stats pass first, the
    same tests unmutated, and mutmut stops if that fails; a second pass cost a minute on integration tests."""
    from mutmut.__main__ import cli
    from mutmut.workers.isolation import ForkRunner

    ForkRunner.run_clean_tests = lambda self, tests: 0
    ForkRunner.wait_for_result = _wait_for_own_result
    cli(["run", "--max-children", children, *names])


def _wait_for_own_result(self, timeout=None):
    """ForkRunner.wait_for_result, passing over children it did not start: a page test of the stats pass
    leaves a worker process (a process pool) that mutmut's os.wait() would reap, then fail on (KeyError)."""
    from datetime import datetime

    from mutmut.workers.isolation import MutantResult

    if self._no_tests_results:
        return self._no_tests_results.pop(0)
    while True:
        pid, wait_status = os.wait()
        if pid in self._running:
            break
    worker = self._running.pop(pid)
    duration = (datetime.now() - worker.start_time).total_seconds()
    return MutantResult(mutant_name=worker.mutant_name, exit_code=os.waitstatus_to_exitcode(wait_status),
                        duration=duration)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--mutmut-run"]:
        mutmut_run(sys.argv[2], sys.argv[3:])
    sys.exit(main(sys.argv[1:]))
