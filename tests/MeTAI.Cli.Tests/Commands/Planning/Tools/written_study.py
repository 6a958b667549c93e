"""Checks DICOM objects we wrote with pydicom, the outside reference.

usage: written_study.py --written FILE... [--context FILE...]

Every reference of a written object (RTSTRUCT -> CT slices, series, study and frame of reference; RTPLAN -> RTSTRUCT;
RTDOSE -> RTPLAN) must resolve to an object among the written and context files, and the RT objects must share the
CT's patient, study and frame of reference. Prints one JSON object: "problems" (one line each), "doses" (per written
RTDOSE: its maximum in Gy = max pixel x Dose Grid Scaling, and the largest dose in a voxel whose CT number is below
-900 HU when the dose is on the CT grid), "uids" (path -> SOP Instance UID of every written file).
"""
import json
import sys

import numpy as np
import pydicom

CT = "1.2.840.10008.5.1.4.1.1.2"
RTSTRUCT = "1.2.840.10008.5.1.4.1.1.481.3"
RTPLAN = "1.2.840.10008.5.1.4.1.1.481.5"
RTDOSE = "1.2.840.10008.5.1.4.1.1.481.2"


def main(argv):
    written, context, target = [], [], None
    for a in argv:
        if a == "--written":
            target = written
        elif a == "--context":
            target = context
        else:
            target.append(a)
    objects = {}
    for path in written + context:
        ds = pydicom.dcmread(path)
        objects[path] = ds
    problems = []
    by_uid = {}
    for path, ds in objects.items():
        by_uid.setdefault(ds.SOPInstanceUID, []).append(path)
    cts = [ds for ds in objects.values() if ds.SOPClassUID == CT]
    ct_uids = {ds.SOPInstanceUID for ds in cts}
    ct = cts[0] if cts else None

    def resolves(uid, sop_class, what, path):
        hits = [p for p in by_uid.get(uid, []) if objects[p].SOPClassUID == sop_class]
        if not hits:
            problems.append(f"{path}: {what} {uid} is not among the files")

    def same_as_ct(ds, path):
        if ct is None:
            return
        for kw in ("PatientID", "StudyInstanceUID", "FrameOfReferenceUID"):
            if getattr(ds, kw, None) != getattr(ct, kw):
                problems.append(f"{path}: {kw} {getattr(ds, kw, None)} is not the CT's {getattr(ct, kw)}")

    doses = []
    for path in written:
        ds = objects[path]
        if ds.SOPClassUID == RTSTRUCT:
            check_structure_set(ds, path, ct, ct_uids, problems)
            same_as_ct(ds, path)
        elif ds.SOPClassUID == RTPLAN:
            for item in ds.get("ReferencedStructureSetSequence", []):
                resolves(item.ReferencedSOPInstanceUID, RTSTRUCT, "referenced structure set", path)
            same_as_ct(ds, path)
        elif ds.SOPClassUID == RTDOSE:
            for item in ds.get("ReferencedRTPlanSequence", []):
                resolves(item.ReferencedSOPInstanceUID, RTPLAN, "referenced plan", path)
                plan = [objects[p] for p in by_uid.get(item.ReferencedSOPInstanceUID, [])]
                if plan and plan[0].get("FrameOfReferenceUID") not in (None, ds.FrameOfReferenceUID):
                    problems.append(f"{path}: frame of reference is not its plan's")
            same_as_ct(ds, path)
            doses.append(dose_facts(ds, path, cts))
    uids = {p: objects[p].SOPInstanceUID for p in written}
    print(json.dumps({"problems": problems, "doses": doses, "uids": uids}))


def check_structure_set(ds, path, ct, ct_uids, problems):
    own_frame = ds.get("FrameOfReferenceUID")
    for frame in ds.ReferencedFrameOfReferenceSequence:
        if ct is not None and frame.FrameOfReferenceUID != ct.FrameOfReferenceUID:
            problems.append(f"{path}: Referenced Frame of Reference {frame.FrameOfReferenceUID} is not the CT's")
        for study in frame.get("RTReferencedStudySequence", []):
            if ct is not None and study.ReferencedSOPInstanceUID != ct.StudyInstanceUID:
                problems.append(f"{path}: RT Referenced Study {study.ReferencedSOPInstanceUID} is not the CT's study")
            for series in study.RTReferencedSeriesSequence:
                if ct is not None and series.SeriesInstanceUID != ct.SeriesInstanceUID:
                    problems.append(f"{path}: RT Referenced Series {series.SeriesInstanceUID} is not the CT series")
                for image in series.ContourImageSequence:
                    if image.ReferencedSOPInstanceUID not in ct_uids:
                        problems.append(f"{path}: series contour image {image.ReferencedSOPInstanceUID} is not a CT slice")
    numbers = set()
    for roi in ds.StructureSetROISequence:
        numbers.add(roi.ROINumber)
        if roi.ReferencedFrameOfReferenceUID != own_frame:
            problems.append(f"{path}: ROI {roi.ROINumber} is on frame {roi.ReferencedFrameOfReferenceUID}")
    for rc in ds.get("ROIContourSequence", []):
        if rc.ReferencedROINumber not in numbers:
            problems.append(f"{path}: ROI contour for undefined ROI {rc.ReferencedROINumber}")
        for contour in rc.get("ContourSequence", []):
            for image in contour.get("ContourImageSequence", []):
                if image.ReferencedSOPInstanceUID not in ct_uids:
                    problems.append(f"{path}: contour image {image.ReferencedSOPInstanceUID} is not a CT slice")


def dose_facts(ds, path, cts):
    dose = ds.pixel_array.astype(np.float64) * float(ds.DoseGridScaling)
    if dose.ndim == 2:
        dose = dose[np.newaxis]
    facts = {"path": path, "maxGy": float(dose.max()), "scalingGy": float(ds.DoseGridScaling), "airMaxGy": None}
    if cts:
        slices = sorted(cts, key=lambda c: float(c.ImagePositionPatient[2]))
        z0 = float(ds.ImagePositionPatient[2])
        zs = [z0 + float(o) for o in ds.GridFrameOffsetVector]
        same = (len(slices) == dose.shape[0] and slices[0].Rows == ds.Rows and slices[0].Columns == ds.Columns
                and all(abs(float(s.ImagePositionPatient[2]) - z) < 1e-3 for s, z in zip(slices, zs))
                and all(abs(float(a) - float(b)) < 1e-3 for a, b in zip(slices[0].ImagePositionPatient, ds.ImagePositionPatient)))
        if same:
            hu = np.stack([s.pixel_array * float(s.RescaleSlope) + float(s.RescaleIntercept) for s in slices])
            air = hu < -900
            facts["airMaxGy"] = float(dose[air].max()) if air.any() else 0.0
    return facts


if __name__ == "__main__":
    main(sys.argv[1:])
