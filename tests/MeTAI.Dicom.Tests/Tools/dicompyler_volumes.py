#!/usr/bin/python3
"""ROI volumes as dicompyler-core computes them, for the RT acceptance tests.

Usage: dicompyler_volumes.py RTSTRUCT RTDOSE
Prints one JSON object {ROI name: {"number": n, "volumeCc": v, "maxDoseGy": d}} with v from
dicompylercore.dvhcalc.get_dvh(rtss, rtdose, roi).volume (cm³) and d the DVH's maximum dose.
"""
import json
import sys
import warnings

from dicompylercore import dicomparser, dvhcalc

warnings.simplefilter("ignore")


def main(rtss_path, rtdose_path):
    structures = dicomparser.DicomParser(rtss_path).GetStructures()
    out = {}
    for number, s in structures.items():
        dvh = dvhcalc.get_dvh(rtss_path, rtdose_path, number)
        out[s["name"]] = {"number": int(number), "volumeCc": float(dvh.volume), "maxDoseGy": float(dvh.max)}
    sys.stdout.write(json.dumps(out) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
