"""``python -m hipchat_mcp``: run the server."""

import sys

from .server import main

sys.exit(main())
