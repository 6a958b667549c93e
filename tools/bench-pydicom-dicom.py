#!/usr/bin/python3
"""Reads a DICOM series with pydicom (dcmread + pixel_array), best of N runs, and prints MB/s.

The pydicom half of the DICOM benchmark (docs/benchmarks.md). Generate the series first, e.g. with
DicomBenchmark.Generate (or `./metai bench dicom`), then:

    /usr/bin/python3 tools/bench-pydicom-dicom.py DIR [RUNS]

MB = 10^6 bytes of file read, as in DicomBenchmark.
"""
import gc
import glob
import os
import sys
import time

import pydicom


def read_all(files):
    total = 0
    checksum = 0
    for path in files:
        with open(path, "rb") as f:
            data = f.read()
        total += len(data)
        ds = pydicom.dcmread(pydicom.filebase.DicomBytesIO(data))
        arr = ds.pixel_array
        checksum += int(arr.flat[0]) + int(arr.flat[-1]) + int(arr.flat[arr.size // 2])
    return total, checksum


def main():
    directory = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    files = sorted(glob.glob(os.path.join(directory, "CT*.dcm")))
    if not files:
        sys.exit("no CT*.dcm files in " + directory)
    read_all(files)  # warm-up
    best = float("inf")
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        total, checksum = read_all(files)
        best = min(best, time.perf_counter() - start)
    print("pydicom %s: %d files, %.1f MB in %.3f s = %.0f MB/s (best of %d), checksum %d"
          % (pydicom.__version__, len(files), total / 1e6, best, total / 1e6 / best, runs, checksum))


if __name__ == "__main__":
    main()
