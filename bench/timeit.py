#!/usr/bin/env python3
"""Times one command as a whole process: bench/timeit.py -o FILE -- COMMAND [ARG...]

Writes one line to FILE: wall seconds, user seconds, system seconds, peak RSS in KB — the
figures /usr/bin/time -f '%e %U %S %M' gives, with microsecond resolution (GNU time rounds CPU
to 10 ms, too coarse for a one-record run). Wall time is a monotonic clock read just before the
fork and just after the child is reaped; CPU and peak RSS are the kernel's accounting of the
child (wait4). stdin, stdout and stderr are inherited. Exits with the command's status."""
import os
import sys
import time


def main():
    args = sys.argv[1:]
    if len(args) < 4 or args[0] != "-o" or args[2] != "--":
        sys.exit("usage: timeit.py -o FILE -- COMMAND [ARG...]")
    out, cmd = args[1], args[3:]
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(cmd[0], cmd)
        except OSError as e:
            os.write(2, f"timeit: {cmd[0]}: {e.strerror}\n".encode())
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    wall = time.monotonic() - start
    with open(out, "w") as f:
        f.write(f"{wall:.6f} {usage.ru_utime:.6f} {usage.ru_stime:.6f} {usage.ru_maxrss}\n")
    return os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status)


if __name__ == "__main__":
    sys.exit(main())
