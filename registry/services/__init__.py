"""The registry's domain logic. Functions take a ``Session`` (one unit of work, committed
by the caller) and raise ``registry.errors`` subclasses; the HTTP layer stays thin."""
