"""`python -m tests.serve_for_run SITE PID`: serve a built site on a free loopback port, which it prints, until the
process PID has ended. The test run's first worker that needs the site starts it, so that one build and one server
serve every worker of the run (the workers end one by one; the run's main process ends last)."""

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
            os.kill(pid, 0)  # signal 0: only whether the process is still there
            time.sleep(0.5)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
