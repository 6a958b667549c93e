#!/usr/bin/python3
"""Writes one asymmetric phantom as a CT series and an RT Structure Set the way a CT scanner and a contouring system
write them for a patient lying in POSITION (pydicom, the outside writer).

usage: position_case.py POSITION OUT_DIR [--voxel MM] [--mixed] [--no-position]

The phantom, in DICOM patient coordinates (LPS, mm), is the same whatever the position:
  Body  a water box |x| <= 100, |y| <= 80, |z| <= 40 (0 HU; air, -1000 HU, around it)
  Bone  a dense insert x in [-80, -50], y in [20, 60] (1000 HU): on the patient's right, posterior, only there
  PTV   x in [20, 60], y in [-40, 0], |z| <= 20: on the patient's left, anterior (water)
The CT's rows run to the room's right seen from the foot of the couch and its columns down (what scanners write for
each Patient Position), so the voxel order differs per position while every voxel centre is the same LPS point.
--mixed writes the last slice with another Patient Position; --no-position leaves Patient Position out.
"""
import argparse
import datetime
import os

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileDataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

CT_IMAGE = "1.2.840.10008.5.1.4.1.1.2"
RT_STRUCT = "1.2.840.10008.5.1.4.1.1.481.3"

# Image Orientation (Patient) per Patient Position: (row direction, column direction) as CT scanners write them.
SCANNER = {
    "HFS": ((1, 0, 0), (0, 1, 0)),
    "HFP": ((-1, 0, 0), (0, -1, 0)),
    "FFS": ((-1, 0, 0), (0, 1, 0)),
    "FFP": ((1, 0, 0), (0, -1, 0)),
    "HFDR": ((0, 1, 0), (-1, 0, 0)),
    "HFDL": ((0, -1, 0), (1, 0, 0)),
    "FFDR": ((0, -1, 0), (-1, 0, 0)),
    "FFDL": ((0, 1, 0), (1, 0, 0)),
}
HALF = np.array([110.0, 90.0, 40.0])  # the imaged box, LPS half-extents (mm)
BODY = ((-100, 100), (-80, 80), (-40, 40))
BONE = ((-80, -50), (20, 60), (-40, 40))
PTV = ((20, 60), (-40, 0), (-20, 20))


def inside(box, p):
    return all(lo <= v <= hi for v, (lo, hi) in zip(p, box))


def hu(p):
    if inside(BONE, p):
        return 1000
    return 0 if inside(BODY, p) else -1000


def centres(axis, voxel):
    n = int(round(2 * HALF[axis] / voxel))
    return [-HALF[axis] + voxel * (i + 0.5) for i in range(n)]


def base(sop_class, sop_uid, modality, series_uid, study_uid, frame_uid, now):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = sop_class
    meta.MediaStorageSOPInstanceUID = sop_uid
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = FileDataset(None, {}, file_meta=meta, preamble=b"\0" * 128)
    ds.is_little_endian, ds.is_implicit_VR = True, False
    ds.SpecificCharacterSet = "ISO_IR 100"
    ds.SOPClassUID, ds.SOPInstanceUID = sop_class, sop_uid
    ds.StudyDate = ds.SeriesDate = now.strftime("%Y%m%d")
    ds.StudyTime = ds.SeriesTime = now.strftime("%H%M%S")
    ds.Modality = modality
    ds.Manufacturer = "pydicom test writer"
    ds.PatientName, ds.PatientID, ds.PatientBirthDate, ds.PatientSex = "Position^Phantom", "POS-PHANTOM", "", "O"
    ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.FrameOfReferenceUID = study_uid, series_uid, frame_uid
    ds.StudyID, ds.AccessionNumber, ds.ReferringPhysicianName = "1", "", ""
    ds.SeriesNumber = 1 if modality == "CT" else 2
    return ds


def write_ct(args, study_uid, frame_uid, now):
    row, col = (np.array(v, float) for v in SCANNER[args.position])
    normal = np.cross(row, col)
    voxel = args.voxel
    axis_of = lambda d: int(np.argmax(np.abs(d)))
    n_cols = len(centres(axis_of(row), voxel))
    n_rows = len(centres(axis_of(col), voxel))
    zs = sorted(centres(2, voxel), key=lambda z: z * normal[2])
    # The first pixel: the centre at the low end of every axis the image runs up, the high end of those it runs down.
    first = np.array([c[0] for c in (centres(0, voxel), centres(1, voxel), centres(2, voxel))])
    for d in (row, col):
        a = axis_of(d)
        if d[a] < 0:
            first[a] = -first[a]
    series_uid = generate_uid()
    os.makedirs(os.path.join(args.out, "ct"), exist_ok=True)
    slices = []
    for k, z in enumerate(zs):
        ipp = first.copy()
        ipp[2] = z
        pixels = np.empty((n_rows, n_cols), np.uint16)
        for r in range(n_rows):
            for c in range(n_cols):
                p = ipp + c * voxel * row + r * voxel * col
                pixels[r, c] = hu(p) + 1024
        uid = generate_uid()
        ds = base(CT_IMAGE, uid, "CT", series_uid, study_uid, frame_uid, now)
        ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
        position = args.position
        if args.mixed and k == len(zs) - 1:
            position = "HFP" if args.position != "HFP" else "HFS"
        if not args.no_position:
            ds.PatientPosition = position
        ds.KVP = 120
        ds.PositionReferenceIndicator, ds.AcquisitionNumber, ds.Laterality = "", 1, ""
        ds.SliceThickness = voxel
        ds.InstanceNumber = k + 1
        ds.ImagePositionPatient = [float(v) for v in ipp]
        ds.ImageOrientationPatient = [float(v) for v in (*row, *col)]
        ds.SliceLocation = float(z)
        ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
        ds.Rows, ds.Columns = n_rows, n_cols
        ds.PixelSpacing = [voxel, voxel]
        ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
        ds.RescaleIntercept, ds.RescaleSlope, ds.RescaleType = -1024, 1, "HU"
        ds.PixelData = pixels.tobytes()
        ds.save_as(os.path.join(args.out, "ct", f"CT.{k + 1}.dcm"), write_like_original=False)
        slices.append((uid, z))
    return series_uid, slices


def rect(box, z):
    (x0, x1), (y0, y1) = box[0], box[1]
    return [x0, y0, z, x1, y0, z, x1, y1, z, x0, y1, z]


def write_rtstruct(args, study_uid, frame_uid, series_uid, slices, now):
    ds = base(RT_STRUCT, generate_uid(), "RTSTRUCT", generate_uid(), study_uid, frame_uid, now)
    del ds.FrameOfReferenceUID
    ds.OperatorsName = ""
    ds.StructureSetLabel, ds.StructureSetDate, ds.StructureSetTime = "POSITION", ds.StudyDate, ds.StudyTime
    images = lambda: Sequence([Dataset() for _ in slices])
    contour_images = images()
    for item, (uid, _) in zip(contour_images, slices):
        item.ReferencedSOPClassUID, item.ReferencedSOPInstanceUID = CT_IMAGE, uid
    series = Dataset()
    series.SeriesInstanceUID, series.ContourImageSequence = series_uid, contour_images
    study = Dataset()
    study.ReferencedSOPClassUID, study.ReferencedSOPInstanceUID = "1.2.840.10008.3.1.2.3.1", study_uid
    study.RTReferencedSeriesSequence = Sequence([series])
    frame = Dataset()
    frame.FrameOfReferenceUID, frame.RTReferencedStudySequence = frame_uid, Sequence([study])
    ds.ReferencedFrameOfReferenceSequence = Sequence([frame])
    rois = [("Body", "EXTERNAL", BODY, [0, 255, 0]), ("Bone", "ORGAN", BONE, [255, 255, 255]), ("PTV", "PTV", PTV, [255, 0, 0])]
    ds.StructureSetROISequence, ds.ROIContourSequence, ds.RTROIObservationsSequence = Sequence(), Sequence(), Sequence()
    for number, (name, kind, box, color) in enumerate(rois, start=1):
        roi = Dataset()
        roi.ROINumber, roi.ReferencedFrameOfReferenceUID, roi.ROIName, roi.ROIGenerationAlgorithm = number, frame_uid, name, "MANUAL"
        ds.StructureSetROISequence.append(roi)
        contours = Sequence()
        for uid, z in slices:
            if not box[2][0] <= z <= box[2][1]:
                continue
            c = Dataset()
            image = Dataset()
            image.ReferencedSOPClassUID, image.ReferencedSOPInstanceUID = CT_IMAGE, uid
            c.ContourImageSequence = Sequence([image])
            c.ContourGeometricType, c.NumberOfContourPoints, c.ContourData = "CLOSED_PLANAR", 4, rect(box, z)
            contours.append(c)
        rc = Dataset()
        rc.ROIDisplayColor, rc.ContourSequence, rc.ReferencedROINumber = color, contours, number
        ds.ROIContourSequence.append(rc)
        obs = Dataset()
        obs.ObservationNumber, obs.ReferencedROINumber, obs.RTROIInterpretedType, obs.ROIInterpreter = number, number, kind, ""
        ds.RTROIObservationsSequence.append(obs)
    ds.save_as(os.path.join(args.out, "rtstruct.dcm"), write_like_original=False)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("position", choices=sorted(SCANNER))
    parser.add_argument("out")
    parser.add_argument("--voxel", type=float, default=10.0)
    parser.add_argument("--mixed", action="store_true")
    parser.add_argument("--no-position", action="store_true")
    args = parser.parse_args()
    now = datetime.datetime(2026, 1, 2, 3, 4, 5)
    study_uid, frame_uid = generate_uid(), generate_uid()
    series_uid, slices = write_ct(args, study_uid, frame_uid, now)
    write_rtstruct(args, study_uid, frame_uid, series_uid, slices, now)
    print(args.out)


main()
