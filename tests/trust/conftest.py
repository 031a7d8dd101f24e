"""Keep Hypothesis's cache out of the checkout: a ``.hypothesis`` folder at the root
trips pytest's collection warning (an error under ``filterwarnings = error``)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis.configuration import set_hypothesis_home_dir

set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "mcp-trust-hypothesis")
