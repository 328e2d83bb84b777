"""End-to-end tests: the real ``python -m bot`` process against the fake Bot API on loopback."""
