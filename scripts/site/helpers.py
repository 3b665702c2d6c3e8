"""Helper processes of `make serve` (validation's checker, the chart drawers): they end when the server does."""

import os
import signal
import threading
import time


def helper_started(server: int) -> None:
    """Run first in each helper: Ctrl+C stops the server, which stops its helpers; a server that was killed leaves
    nothing else to end them, so each ends itself once its server is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def orphaned() -> None:
        while os.getppid() == server:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=orphaned, daemon=True).start()
