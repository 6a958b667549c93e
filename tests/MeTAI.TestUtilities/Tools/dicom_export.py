#!/usr/bin/python3
"""Makes DICOM exports the way other systems leave them, with pydicom (Debian's python3-pydicom).

  flat OUT [--subdirs] SRC...      every DICOM file under each SRC, re-written by pydicom into one folder with a
                                   planning system's names: CT.<SOP Instance UID>.dcm, RS.…, RP.…, RD.… (MR., PT., …),
                                   plus two files that are not DICOM (README.txt, export.xml); --subdirs puts images
                                   under images/ and RT objects under rt/<modality>/
  fileset OUT SRC...               a PS3.10 file-set written by pydicom's FileSet: OUT/DICOMDIR + its own file names
  media OUT SRC...                 the files copied as OUT/DICOM/<8-character upper-case names> (for dcmtk's dcmmkdir)
  set FILE NAME=VALUE...           edits one file in place: any top-level keyword, or ReferencedFrameOfReferenceUID
                                   (an RTSTRUCT's 3006,0010 and every ROI's 3006,0024), ReferencedSeriesUID (its RT
                                   Referenced Series), ContourImageUID (the first contour's image), ReferencedStructureSetUID
                                   (an RTPLAN's 300C,0060), ReferencedPlanUID (an RTDOSE's 300C,0002)
Prints one line per file written: "<modality> <path>".
"""
import os
import shutil
import sys

import pydicom
from pydicom.fileset import FileSet

PREFIX = {"CT": "CT", "RTSTRUCT": "RS", "RTPLAN": "RP", "RTDOSE": "RD", "MR": "MR", "PT": "PT", "RTIMAGE": "RI"}


def dicom_files(sources):
    for src in sources:
        paths = [src] if os.path.isfile(src) else sorted(
            os.path.join(d, f) for d, _, files in os.walk(src) for f in files if not f.startswith("."))
        for path in paths:
            try:
                ds = pydicom.dcmread(path)
            except Exception:  # not DICOM
                continue
            if "SOPInstanceUID" in ds:
                yield path, ds


def flat(out, sources, subdirs):
    os.makedirs(out, exist_ok=True)
    for _, ds in dicom_files(sources):
        modality = str(ds.get("Modality", "OT"))
        prefix = PREFIX.get(modality, modality[:2] or "OT")
        folder = out
        if subdirs:
            folder = os.path.join(out, "images") if modality in ("CT", "MR", "PT") else os.path.join(out, "rt", modality.lower())
            os.makedirs(folder, exist_ok=True)
        target = os.path.join(folder, f"{prefix}.{ds.SOPInstanceUID}.dcm")
        ds.save_as(target, write_like_original=False)
        print(modality, target)
    with open(os.path.join(out, "README.txt"), "w") as f:
        f.write("Exported by a planning system.\n")
    with open(os.path.join(out, "export.xml"), "w") as f:
        f.write("<export><patient/></export>\n")


def fileset(out, sources):
    fs = FileSet()
    for _, ds in dicom_files(sources):
        # PS3.3 F.5 requires Instance Number in every instance-level record; our RT writers leave it out (Type 3).
        if "InstanceNumber" not in ds:
            ds.InstanceNumber = 1
        fs.add(ds)
    fs.write(out)
    for instance in fs:
        print(instance.Modality if "Modality" in instance else "?", os.path.join(out, *instance.FileID.split("\\")))


def media(out, sources):
    folder = os.path.join(out, "DICOM")
    os.makedirs(folder, exist_ok=True)
    for n, (path, ds) in enumerate(dicom_files(sources), start=1):
        modality = str(ds.get("Modality", "OT"))
        target = os.path.join(folder, f"{PREFIX.get(modality, 'OT')[:2]}{n:06d}")
        shutil.copyfile(path, target)
        print(modality, target)


def edit(path, assignments):
    ds = pydicom.dcmread(path)
    for assignment in assignments:
        name, value = assignment.split("=", 1)
        if name == "ReferencedFrameOfReferenceUID":
            for item in ds.get("ReferencedFrameOfReferenceSequence", []):
                item.FrameOfReferenceUID = value
            for roi in ds.get("StructureSetROISequence", []):
                roi.ReferencedFrameOfReferenceUID = value
        elif name == "ReferencedSeriesUID":
            for frame in ds.ReferencedFrameOfReferenceSequence:
                for study in frame.RTReferencedStudySequence:
                    for series in study.RTReferencedSeriesSequence:
                        series.SeriesInstanceUID = value
        elif name == "ContourImageUID":
            ds.ROIContourSequence[0].ContourSequence[0].ContourImageSequence[0].ReferencedSOPInstanceUID = value
        elif name == "ReferencedStructureSetUID":
            ds.ReferencedStructureSetSequence[0].ReferencedSOPInstanceUID = value
        elif name == "ReferencedPlanUID":
            ds.ReferencedRTPlanSequence[0].ReferencedSOPInstanceUID = value
        else:
            setattr(ds, name, value)
    ds.save_as(path, write_like_original=False)
    print(ds.get("Modality", "?"), path)


def main(argv):
    command, rest = argv[1], argv[2:]
    if command == "flat":
        subdirs = "--subdirs" in rest
        rest = [a for a in rest if a != "--subdirs"]
        flat(rest[0], rest[1:], subdirs)
    elif command == "fileset":
        fileset(rest[0], rest[1:])
    elif command == "media":
        media(rest[0], rest[1:])
    elif command == "set":
        edit(rest[0], rest[1:])
    else:
        sys.exit(f"unknown command {command}")


if __name__ == "__main__":
    main(sys.argv)
