"""`livestudio devices` and `livestudio bench realtime` run and print what they say."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from livestudio.testing.jack import JackServer

pytestmark = pytest.mark.timeout(240)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "livestudio.cli", *args], capture_output=True,
                          text=True, timeout=200)


def test_devices_lists_the_jack_device(jack_server: JackServer) -> None:
    done = _cli("devices")
    assert done.returncode == 0, done.stderr[-1000:]
    assert "system  [JACK Audio Connection Kit]  in 2 / out 2" in done.stdout
    assert "MIDI ports:" in done.stdout


def test_bench_realtime_prints_its_figures() -> None:
    done = _cli("bench", "realtime", "--seconds", "2", "--json")
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    for key in ("xruns", "late", "load_p50_pct", "load_p99_pct", "load_max_pct", "callback",
                "engine_rss_mb_end", "engine_uss_mb_end", "voices_max", "overruns", "jack_port_max",
                "cpu_steal_s"):
        assert key in result
    # the trivial baseline client ran beside the engine; jackd's log was read
    assert result["baseline_client"] == "jack_simple_client"
    assert set(result["xrun_causes"]) == {"clients_late", "driver_late"}
    assert set(result["xrun_causes"]["clients_late"]) <= {"PortAudio", "jack_simple_client"}
    assert 0 <= result["overruns"] <= result["blocks"]
    assert result["callback"] == "cfunc" and result["voices_max"] >= 64
    assert result["blocks"] > 500 and result["errors"] == []
