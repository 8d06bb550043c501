"""MIDI gear: ports, timed note/CC out, clock out, clock follow, CC and note input.

Modules, one job each:

- ``ports``      find/open ports by name substring; ``list_midi_ports()``
- ``messages``   byte builders and a parser that survives any input
- ``translate``  event controls -> MIDI messages
- ``timing``     absolute-deadline sleeping, real-time thread setup, test clocks
- ``outport``    one output port: locked sends, vanish/return detection
- ``sender``     the sender thread: timed heap, note bookkeeping, clock polling
- ``clock_out``  24-PPQN clock on the engine's frame grid, Start/Stop/Continue/SPP
- ``follow``     MIDI clock in: tempo and phase by gated sliding-window regression
- ``input``      an input port: parse and dispatch (follower, CC store, note listeners)
- ``cc``         the CC value store shared with the front, ``cc_signal`` for patterns
- ``hub``        what the engine process hosts: ``create_hub(clock, options=...)``
- ``testkit``    fakes and a JACK "gear" port for tests
"""
