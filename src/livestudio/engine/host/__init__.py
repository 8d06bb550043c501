"""Engine hosts: the engine process, its audio stream, clock, IPC and file sink.

Layer 3 (see docs/architecture.md). The front talks to the engine process through
:class:`livestudio.engine.host.client.EngineProcess` (an ``EngineLink``).
"""
