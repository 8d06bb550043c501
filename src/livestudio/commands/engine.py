"""`livestudio engine`: run an engine process by hand (debugging the audio path).

``play`` starts its engine itself (``multiprocessing`` spawn); this command opens the
output with the same code, plays a test tone burst on the test kernel or silence on
the core, and prints the engine's status once a second.
"""

from __future__ import annotations

import json
import time

import click

from livestudio.commands.play import _device, _latency, engine_options
from livestudio.errors import LivestudioError


@click.command()
@click.option("--seconds", type=click.FloatRange(0.1, None), default=3.0, show_default=True)
@engine_options
def engine(seconds: float, device: str | None, blocksize: int, latency: str | None,
           sample_rate: int | None, output: str, python_callback: bool, backend: str) -> None:
    """Start an engine process, play a short test, print its status as JSON lines."""
    from fractions import Fraction

    from livestudio.engine.host.backend import core_available
    from livestudio.engine.host.client import EngineProcess
    from livestudio.engine.host.runtime import OutputConfig
    from livestudio.session.scheduler import ScheduledEvent

    if backend == "auto":
        backend = "core" if core_available() else "test"
    cfg = OutputConfig(output=output, device=_device(device), sample_rate=sample_rate,
                       blocksize=blocksize, latency=_latency(latency),
                       python_callback=python_callback, backend=backend,
                       file_path="livestudio-engine-test.wav")
    link = EngineProcess(cfg, spare=False)
    try:
        link.start()
    except LivestudioError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        sr = link.sample_rate
        f0 = link.frame_now() + sr // 10
        events = [ScheduledEvent("test", Fraction(i, 4), Fraction(i + 1, 4), f0 + i * sr // 4, 0.2,
                                 {"s": "sine", "note": 60 + 4 * (i % 4), "gain": 0.5})
                  for i in range(int(seconds * 4))]
        link.send_events(events)
        t_end = time.monotonic() + seconds
        while time.monotonic() < t_end:
            time.sleep(min(1.0, max(t_end - time.monotonic(), 0)))
            click.echo(json.dumps(link.status().to_json()))
    finally:
        link.close()
