"""The JACK dummy server fixture gives a real PortAudio device."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from livestudio.testing.jack import JackServer, parse_xrun_causes


def test_jack_server_is_reachable(jack_server: JackServer) -> None:
    out = subprocess.run(["jack_lsp"], capture_output=True, text=True, check=True).stdout
    assert "system:playback_1" in out


# a client that sleeps 10 ms in its process callback (blocks last 2.7 ms): it misses
# its cycles, and jackd logs which client it was
_LATE_CLIENT = """
import time, sounddevice as sd
blocks = [0]
def callback(outdata, frames, t, status):
    outdata.fill(0)
    blocks[0] += 1
    if 10 <= blocks[0] < 20:
        time.sleep(0.010)
with sd.OutputStream(samplerate=48000, blocksize=128, channels=2, callback=callback):
    time.sleep(1.0)
print(blocks[0])
"""


def test_xrun_causes_name_the_late_client() -> None:
    with JackServer(set_default=False) as jack:
        env = dict(os.environ, JACK_DEFAULT_SERVER=jack.name, JACK_NO_START_SERVER="1")
        out = subprocess.run([sys.executable, "-c", _LATE_CLIENT], env=env, capture_output=True,
                             text=True, timeout=60, check=True)
        assert int(out.stdout) > 100
        deadline = time.monotonic() + 5
        while not jack.xrun_causes().clients_late and time.monotonic() < deadline:
            time.sleep(0.1)
        causes = jack.xrun_causes()
    assert causes.clients_late["PortAudio"] >= 1, jack.log()[-500:]
    assert set(causes.clients_late) == {"PortAudio"}


def test_parse_xrun_causes_counts_each_kind() -> None:
    log = ("JackEngine::XRun: client = PortAudio was not finished, state = Running\n"
           "JackEngine::XRun: client = my client-01 was not finished, state = Triggered\n"
           "JackTimedDriver::Process XRun = 24 usec\n"
           "JackEngine::XRun: client = PortAudio was not finished, state = Triggered\n"
           "Jack: something else\n")
    causes = parse_xrun_causes(log)
    assert causes.clients_late == {"PortAudio": 2, "my client-01": 1}
    assert causes.driver_late == 1
    assert causes.as_dict() == {"clients_late": {"PortAudio": 2, "my client-01": 1}, "driver_late": 1}


def test_xrun_causes_since_an_earlier_reading() -> None:
    earlier = parse_xrun_causes("JackEngine::XRun: client = PortAudio was not finished, state = Running\n")
    later = parse_xrun_causes("JackEngine::XRun: client = PortAudio was not finished, state = Running\n"
                              "JackEngine::XRun: client = other was not finished, state = Triggered\n"
                              "JackTimedDriver::Process XRun = 31 usec\n")
    assert later.since(earlier).as_dict() == {"clients_late": {"other": 1}, "driver_late": 1}
