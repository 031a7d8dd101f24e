"""A small TTL cache of decisions keyed by (server, surface hash, principal).

The clock is injectable so tests can move time without sleeping. The last good
answer per key is kept past its expiry: fail-open-with-grace may fall back on it.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

from gateway_enforcer.models import Decision

CacheKey = tuple[str, str, str]

Clock = Callable[[], float]


class DecisionCache:
    def __init__(self, *, max_entries: int = 4096, clock: Clock = time.monotonic) -> None:
        self._entries: OrderedDict[CacheKey, tuple[Decision, float, float]] = OrderedDict()
        self._max = max_entries
        self._clock = clock

    def get(self, key: CacheKey) -> Decision | None:
        """The cached decision if it has not expired yet."""
        entry = self._entries.get(key)
        if entry is None or entry[1] <= self._clock():
            return None
        return entry[0]

    def last_good(self, key: CacheKey, max_age_s: float) -> Decision | None:
        """The last registry answer for ``key`` received at most ``max_age_s`` ago, expired or not."""
        entry = self._entries.get(key)
        if entry is None or self._clock() - entry[2] > max_age_s:
            return None
        return entry[0]

    def put(self, key: CacheKey, decision: Decision, ttl_s: float) -> None:
        now = self._clock()
        self._entries[key] = (decision, now + max(ttl_s, 0.0), now)
        self._entries.move_to_end(key)
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)

    def clear(self) -> None:
        self._entries.clear()
