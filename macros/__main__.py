"""``python -m macros`` is ``python -m macros.check``."""

from __future__ import annotations

import sys

from .check import main

sys.exit(main())
