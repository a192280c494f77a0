"""Runs checkov's command line once per request, each in a child forked from one process that
imported checkov at start.

Importing checkov costs about 1.8 CPU-seconds; running its two checks on one plan file, a
tenth of that. The acceptance tests run checkov several times per pass, so they start this
server once per test process and send it the arguments they would give the `checkov` command.
Each child runs what the venv's `checkov` script runs, `Checkov().run()` with SyntaxWarnings
ignored, and is a fresh fork of the same process, so no request sees another's state. The
arguments go to `Checkov(argv=...)` and `sys.argv` both: the constructor's default was bound
to the server's own arguments at import.

Usage: python checkov_serve.py < requests > replies. A request is one JSON line, a list of
arguments; the reply is one JSON line: {"code": exit status, "stdout": ..., "stderr": ...}.
The server exits when its standard input closes, so it ends with the test process.

Settings checkov reads at import (BC_SKIP_MAPPING) must be in the server's environment.
"""

import json
import os
import sys
import tempfile
import warnings

from checkov.main import Checkov


def run_in_child(args: list[str]) -> dict:
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            code = 70
            try:
                os.dup2(out.fileno(), 1)
                os.dup2(err.fileno(), 2)
                sys.stdout = sys.__stdout__
                sys.argv = ["checkov", *args]
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", category=SyntaxWarning)
                    code = Checkov(argv=args).run()
            except SystemExit as exit_:
                # As the interpreter exits: None is success; a message is printed, status 1.
                code = exit_.code
                if code is not None and not isinstance(code, int):
                    print(code, file=sys.stderr)
                    code = 1
            except BaseException as error:  # reported like the command would: on stderr
                print(f"checkov raised {error!r}", file=sys.stderr)
                code = 1
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code or 0)
        _, status = os.waitpid(pid, 0)
        out.seek(0)
        err.seek(0)
        return {
            "code": os.waitstatus_to_exitcode(status),
            "stdout": out.read().decode("utf-8", "replace"),
            "stderr": err.read().decode("utf-8", "replace"),
        }


def main() -> int:
    replies = sys.stdout
    # Nothing but replies may reach the pipe the tests read; each child points `sys.stdout`
    # back at its own descriptor 1.
    sys.stdout = sys.stderr
    for line in sys.stdin:
        reply = run_in_child(json.loads(line))
        replies.write(json.dumps(reply) + "\n")
        replies.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
