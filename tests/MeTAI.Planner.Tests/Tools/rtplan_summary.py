#!/usr/bin/python3
"""Prints one JSON line per beam of an RT Plan as pydicom reads it: meterset, control points, weights, MLC sizes.

usage: rtplan_summary.py RTPLAN
"""
import json
import sys

import pydicom

ds = pydicom.dcmread(sys.argv[1])
meterset = {int(rb.ReferencedBeamNumber): float(rb.BeamMeterset) for rb in ds.FractionGroupSequence[0].ReferencedBeamSequence}
for beam in ds.BeamSequence:
    cps = beam.ControlPointSequence
    weights = [float(cp.CumulativeMetersetWeight) for cp in cps]
    mlc = [d for d in beam.BeamLimitingDeviceSequence if d.RTBeamLimitingDeviceType == "MLCX"]
    leaves = []
    for cp in cps:
        for p in getattr(cp, "BeamLimitingDevicePositionSequence", []):
            if p.RTBeamLimitingDeviceType == "MLCX":
                leaves.append([float(v) for v in p.LeafJawPositions])
    print(json.dumps({
        "number": int(beam.BeamNumber),
        "meterset": meterset[int(beam.BeamNumber)],
        "controlPoints": len(cps),
        "numberOfControlPoints": int(beam.NumberOfControlPoints),
        "weights": weights,
        "finalWeight": float(beam.FinalCumulativeMetersetWeight),
        "gantry": float(cps[0].GantryAngle),
        "leafPairs": int(mlc[0].NumberOfLeafJawPairs) if mlc else 0,
        "leafPositions": leaves,
    }))
