"""`python -m tests.serve_for_run SITE PID`: serve a built site on a free loopback port, which it prints, until the
process PID (the test run's main process) has ended, so that one server serves every worker of the run."""

import contextlib
import os
import sys
import time
from pathlib import Path

from scripts.site.loopback import start


def main(site: str, pid: int) -> None:
    server = start(Path(site))
    print(f"http://127.0.0.1:{server.server_address[1]}/", flush=True)
    with contextlib.suppress(ProcessLookupError):
        while True:
            os.kill(pid, 0)  # signal 0: only whether it is still there
            time.sleep(0.5)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
