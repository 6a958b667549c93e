#!/usr/bin/python3
"""Prints one JSON line per ROI with dicompyler-core's DVH statistics (Debian's python3-dicompylercore).

usage: dicompyler_dvh.py RTSTRUCT RTDOSE
"""
import json
import sys

import pydicom
from dicompylercore import dicomparser, dvhcalc

rtss_path, dose_path = sys.argv[1], sys.argv[2]
rtss = dicomparser.DicomParser(rtss_path)
for number, s in rtss.GetStructures().items():
    dvh = dvhcalc.get_dvh(rtss_path, dose_path, number)
    if dvh.volume == 0:
        continue
    print(json.dumps({
        "name": s["name"],
        "number": number,
        "volumeCc": float(dvh.volume),
        "meanGy": float(dvh.mean),
        "minGy": float(dvh.min),
        "maxGy": float(dvh.max),
        "D95Gy": float(dvh.D95.value),
        "D5Gy": float(dvh.D5.value),
        "D50Gy": float(dvh.D50.value),
    }))
