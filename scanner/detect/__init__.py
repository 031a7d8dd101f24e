"""Tool-poisoning detection: the public entry points.

``default_detector()`` returns a cached detector implementing
``scanner.report.Detector``; ``find_name_collisions`` is what the registry calls
to spot look-alike names across registered servers.
"""

from scanner.detect.detector import PoisoningDetector, default_detector
from scanner.detect.typosquat import NameCollision, find_name_collisions

__all__ = ["NameCollision", "PoisoningDetector", "default_detector", "find_name_collisions"]
