"""The coaching core: breath pace, timeline and the session state machine. Pure Python:
time and speech lengths are injected, events go out to listeners."""
