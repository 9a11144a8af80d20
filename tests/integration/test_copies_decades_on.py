"""A certified copy on the real clock, decades on: the office's processes and the demo CA's services
run under `faketime` at each moment (+6 years, the renewal when due, +12, +30), the renewal job runs as
the server would that day, and every verdict is compared with pyHanko's AdES LTA validation."""
from __future__ import annotations

import json
import shutil
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.support.future import Services, free_port, office_env, run

pytestmark = pytest.mark.needs("faketime")
YEAR = timedelta(days=365.25)
# which of the extra files each moment judges (each costs a validation by the product and by pyHanko)
MOMENTS = {"+6y": ["issued", "revoked", "banked"], "renewal": [], "+12y": ["issued"], "+30y": ["revoked"]}


class Office:
    def __init__(self, base: Path, env: dict[str, str], facts: dict, services: Services):
        self.base, self.env, self.facts, self.services = base, env, facts, services
        self.issued_at = datetime.fromisoformat(facts["issued_at"])

    def moment(self, name: str) -> datetime:
        if name == "renewal":  # due: the time-stamp's certificate ends within RENEW_DAYS (365)
            return datetime.fromisoformat(self.facts["tsa_ends"]) - timedelta(days=200)
        return self.issued_at + int(name[1:-1]) * YEAR

    def verify_cli(self, path: Path, moment: datetime | None, *extra: str) -> dict:
        out = run([sys.executable, "main.py", "verify", str(path), "--json", *extra], self.env, moment)
        assert out.returncode in (0, 1), out.stderr[-2000:]
        result = json.loads(out.stdout)
        assert (out.returncode == 0) == result["valid"]
        return result


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    base = tmp_path_factory.mktemp("office-decades")
    port = free_port()
    env = office_env(base, port)
    out = run([sys.executable, "-m", "tests.support.future", "setup", str(base)], env)
    assert out.returncode == 0, out.stderr[-3000:]
    services = Services(env, port)
    yield Office(base, env, json.loads(out.stdout.splitlines()[-1]), services)
    services.stop()


@pytest.fixture(scope="module")
def decades(office) -> dict[str, dict]:
    """At each moment: the CA's services at that moment, the server's renewal job and public
    verification, pyHanko's validation, `main.py verify` of the newest file (kept per moment)."""
    seen = {}
    for name, files in MOMENTS.items():
        moment = office.moment(name)
        office.services.at(moment)
        out = run([sys.executable, "-m", "tests.support.future", "check", str(office.base), *files],
                  office.env, moment)
        assert out.returncode == 0, out.stderr[-3000:]
        check = json.loads(out.stdout.splitlines()[-1])
        latest = office.base / f"latest{name}.pdf"
        shutil.copy(office.base / "latest.pdf", latest)
        check["cli"] = office.verify_cli(latest, moment)
        check["latest_path"], check["moment"] = latest, moment
        if name == "+30y":  # pyHanko's own command line, as a relying party runs it that day
            cli = Path(sys.executable).with_name("pyhanko")
            ades = run([str(cli), "sign", "adesverify", "--trust", str(office.base / "root.pem"),
                        "--trust-replace", "--executive-summary", str(latest)], office.env, moment)
            check["adesverify"] = (ades.returncode, ades.stdout)
        seen[name] = check
    office.services.stop()
    return seen


def test_a_genuine_copy_renewed_when_due_stays_valid_for_decades_as_pyhanko_says(office, decades):
    assert [decades[name]["renewed"] for name in MOMENTS] == [0, 1, 0, 0]  # only when due, once
    assert all(decades[name]["failed"] == 0 for name in MOMENTS)
    for name, seen in decades.items():
        for result in (seen["public"], seen["cli"]):
            assert result["status"] == "valid", (name, result["problems"])
            assert result["level"] == "B-LTA" and result["certification_number"] == office.facts["number"]
            assert result["problems"] == []
        assert seen["pyhanko"]["latest"] == ["OK", "OK"], name
    # expired since, proven by the time-stamps: valid, with a note that says so
    notes = decades["+6y"]["cli"]["notes"]
    assert any("đã hết hạn" in note and "chữ ký vẫn hợp lệ" in note for note in notes)
    code, summary = decades["+30y"]["adesverify"]
    assert code == 0 and summary.count(":VALID") == 2, summary


def test_without_renewal_a_copy_lapses_when_its_time_stamp_certificate_ends(decades):
    assert decades["+6y"]["issued"]["status"] == "valid"
    assert decades["+6y"]["pyhanko"]["issued"] == ["OK", "OK"]
    lapsed = decades["+12y"]["issued"]  # the demo TSA's first certificate ended after 10 years
    assert lapsed["status"] == "untrusted" and "OK" not in decades["+12y"]["pyhanko"]["issued"]
    assert all("chưa được gia hạn" in p for p in lapsed["problems"])


def test_a_copy_whose_signer_was_revoked_before_signing_is_invalid_with_the_date(decades):
    for name in ("+6y", "+30y"):
        result = decades[name]["revoked"]
        assert result["status"] == "untrusted" and not result["valid"]
        assert any("Phạm Văn Thu" in p and "thu hồi ngày" in p and "trước thời điểm ký" in p
                   for p in result["problems"]), result["problems"]
        assert decades[name]["pyhanko"]["revoked"][0] != "OK"


def test_a_relying_partys_own_time_stamp_neither_breaks_the_copy_nor_counts(office, decades):
    seen = decades["+6y"]
    banked = seen["banked"]
    assert banked["status"] == "valid" and banked["certification_number"] == office.facts["number"]
    assert banked["problems"] == []
    assert any("Dấu thời gian do bên khác thêm vào" in n and "không dùng làm bằng chứng" in n
               for n in banked["notes"]), banked["notes"]
    # pyHanko, trusting only our roots, lets the stranger's time-stamp break its chain of evidence;
    # the product judges the evidence without it, i.e. the file as issued, which pyHanko finds valid
    assert seen["pyhanko"]["banked"] == ["NO_POE", "NO_POE"]
    assert seen["pyhanko"]["issued"] == ["OK", "OK"]
    assert banked["signatures"] == seen["issued"]["signatures"]


def test_at_judges_a_date_as_faketime_does(office, decades):
    """`--at` reads no clock: under a clock 30 years on it says what the real clock says."""
    soon = office.issued_at + timedelta(hours=1)
    issued = office.base / "issued.pdf"
    real = office.verify_cli(issued, None, "--at", soon.isoformat())
    late = office.verify_cli(issued, decades["+30y"]["moment"], "--at", soon.isoformat())
    assert real["status"] == late["status"] == "valid"
    assert real["signatures"] == late["signatures"]
    # just after the renewal, from today's real clock, as the faked clock of that day said
    renewal = decades["renewal"]
    after = office.verify_cli(renewal["latest_path"], None, "--at",
                              (renewal["moment"] + timedelta(minutes=5)).isoformat())
    assert after["status"] == renewal["cli"]["status"] == "valid"
    # twelve years on without renewal: the same "untrusted" either way
    lapsed = office.verify_cli(issued, None, "--at", decades["+12y"]["moment"].isoformat())
    assert lapsed["status"] == decades["+12y"]["issued"]["status"] == "untrusted"
