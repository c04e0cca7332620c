"""External clock on the same process's iterations, for scripts/external-timer.sh.

Runs `ruff bench FILE --config CONFIG --iterations N2 --records FIFO` PROCESSES times. The
records go through a named pipe, and this reader stamps each one with its own clock
(time.perf_counter_ns) as it arrives: `ruff bench` writes a record right after each
iteration, so the gap between two arrivals is one iteration as seen from outside the
process (plus the record's write, a few microseconds). Per process, the median of the
iterations from N1 on is taken both from the records' own `wall_ns` (what the harness
analyses) and from the arrival gaps; the result is the median over processes of each.
Both come from the same processes, so the machine's process-to-process speed differences
(tens of percent on a noisy VM) do not enter the comparison.

usage: same-process-timer.py RUFF FILE CONFIG N1 N2 PROCESSES -> prints "internal_ms external_ms"
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time


def one_process(ruff, file, config, n1, n2):
    folder = tempfile.mkdtemp()
    fifo = os.path.join(folder, "records")
    os.mkfifo(fifo)
    arrivals, walls = [], []

    def read():
        with open(fifo) as f:
            for line in f:
                arrivals.append(time.perf_counter_ns())
                walls.append(json.loads(line)["wall_ns"])

    reader = threading.Thread(target=read)
    reader.start()
    subprocess.run(
        [ruff, "bench", file, "--config", config, "--iterations", str(n2), "--records", fifo],
        stdout=subprocess.DEVNULL,
        check=True,
    )
    reader.join()
    os.unlink(fifo)
    os.rmdir(folder)
    gaps = [b - a for a, b in zip(arrivals, arrivals[1:])]
    # gaps[i] is iteration i + 1 (from the record of iteration i to that of i + 1).
    return statistics.median(walls[n1:]), statistics.median(gaps[n1 - 1:])


def main():
    ruff, file, config, n1, n2, processes = sys.argv[1:]
    pairs = [one_process(ruff, file, config, int(n1), int(n2)) for _ in range(int(processes))]
    internal = statistics.median(p[0] for p in pairs) / 1e6
    external = statistics.median(p[1] for p in pairs) / 1e6
    print(f"{internal:.4f} {external:.4f}")


if __name__ == "__main__":
    main()
