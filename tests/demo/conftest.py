"""The demo generator lives in tools/demo_data (a tool, not part of any addon)."""

import os
import sys

TOOLS = os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "tools"
)
if TOOLS not in sys.path:
    sys.path.insert(0, TOOLS)
