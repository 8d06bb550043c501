"""Clock sources the engine can follow: internal, MIDI clock in, Ableton Link.

Every source answers the same small questions (:class:`~livestudio.engine.sync.source.SyncSource`):
tempo, beat position at a monotonic time, whether it is healthy, how many peers, and
its transport state. :class:`~livestudio.engine.sync.driver.SyncDriver` steers the
engine clock toward the chosen source without ever jumping the beat.
"""
