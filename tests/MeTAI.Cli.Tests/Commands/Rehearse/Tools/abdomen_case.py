#!/usr/bin/python3
"""Writes an abdomen-like case as a CT series and an RT Structure Set with pydicom (the outside writer), the way a CT
scanner and a contouring system write them: head first supine, axial slices, polygon contours.

usage: abdomen_case.py OUT_DIR [--voxel MM]

In DICOM patient coordinates (LPS, mm), |z| <= 60:
  Body         ellipse semi-axes 140 (x) x 100 (y), EXTERNAL: a 15 mm fat layer (-100 HU) over muscle (40 HU)
  Liver        ellipse centre (-55, 0), semi-axes 70 x 55, |z| <= 50, ORGAN (60 HU): on the patient's right
  Tumor        sphere centre (-60, 10, 0), radius 15, GTV (70 HU), inside the liver
  Portal vein  cylinder centre (-60, -28), radius 5, along z, ORGAN (150 HU): in front of the tumour
  Stomach      ellipse centre (60, -20), semi-axes 30 x 25, |z| <= 40, ORGAN (20 HU): no tissue rule matches it
  (no ROI)     a vertebral body, disc centre (0, 70), radius 18 (700 HU): bone by CT number only
"""
import argparse
import datetime
import math
import os

import numpy as np
from pydicom.dataset import Dataset, FileDataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

CT_IMAGE = "1.2.840.10008.5.1.4.1.1.2"
RT_STRUCT = "1.2.840.10008.5.1.4.1.1.481.3"
HALF = (160.0, 120.0, 60.0)
# name, type, colour, centre (x, y), semi-axes (a, b) at z, or None outside the ROI
ROIS = [
    ("Body", "EXTERNAL", [0, 255, 0], lambda z: ((0, 0), (140, 100)) if abs(z) <= 60 else None),
    ("Liver", "ORGAN", [160, 80, 40], lambda z: ((-55, 0), (70, 55)) if abs(z) <= 50 else None),
    ("Tumor", "GTV", [255, 0, 0], lambda z: ((-60, 10), (math.sqrt(225 - z * z),) * 2) if abs(z) < 15 else None),
    ("Portal vein", "ORGAN", [0, 0, 255], lambda z: ((-60, -28), (5, 5)) if abs(z) <= 60 else None),
    ("Stomach", "ORGAN", [255, 200, 0], lambda z: ((60, -20), (30, 25)) if abs(z) <= 40 else None),
]


def inside_ellipse(x, y, shape):
    if shape is None:
        return np.zeros_like(x, bool)
    (cx, cy), (a, b) = shape
    return ((x - cx) / a) ** 2 + ((y - cy) / b) ** 2 <= 1


def hu_slice(x, y, z):
    hu = np.full(x.shape, -1000.0)
    body = inside_ellipse(x, y, ROIS[0][3](z))
    inner = inside_ellipse(x, y, ((0, 0), (125, 85))) if abs(z) <= 60 else np.zeros_like(body)
    hu[body] = -100
    hu[body & inner] = 40
    hu[inside_ellipse(x, y, ROIS[1][3](z))] = 60
    hu[inside_ellipse(x, y, ROIS[4][3](z))] = 20
    hu[inside_ellipse(x, y, ROIS[2][3](z))] = 70
    hu[inside_ellipse(x, y, ROIS[3][3](z))] = 150
    hu[body & ((x ** 2 + (y - 70) ** 2) <= 18 ** 2)] = 700
    return hu


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
    ds.PatientName, ds.PatientID, ds.PatientBirthDate, ds.PatientSex = "Abdomen^Phantom", "ABDOMEN-PHANTOM", "", "O"
    ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.FrameOfReferenceUID = study_uid, series_uid, frame_uid
    ds.StudyID, ds.AccessionNumber, ds.ReferringPhysicianName = "1", "", ""
    ds.SeriesNumber = 1 if modality == "CT" else 2
    return ds


def write_ct(out, voxel, study_uid, frame_uid, now):
    xs = np.array([-HALF[0] + voxel * (i + 0.5) for i in range(int(round(2 * HALF[0] / voxel)))])
    ys = np.array([-HALF[1] + voxel * (j + 0.5) for j in range(int(round(2 * HALF[1] / voxel)))])
    zs = [-HALF[2] + voxel * (k + 0.5) for k in range(int(round(2 * HALF[2] / voxel)))]
    x, y = np.meshgrid(xs, ys)  # rows run along y, columns along x
    series_uid = generate_uid()
    os.makedirs(os.path.join(out, "ct"), exist_ok=True)
    slices = []
    for k, z in enumerate(zs):
        uid = generate_uid()
        ds = base(CT_IMAGE, uid, "CT", series_uid, study_uid, frame_uid, now)
        ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
        ds.PatientPosition = "HFS"
        ds.KVP = 120
        ds.PositionReferenceIndicator, ds.AcquisitionNumber, ds.Laterality = "", 1, ""
        ds.SliceThickness = voxel
        ds.InstanceNumber = k + 1
        ds.ImagePositionPatient = [float(xs[0]), float(ys[0]), float(z)]
        ds.ImageOrientationPatient = [1.0, 0.0, 0.0, 0.0, 1.0, 0.0]
        ds.SliceLocation = float(z)
        ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
        ds.Rows, ds.Columns = len(ys), len(xs)
        ds.PixelSpacing = [voxel, voxel]
        ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
        ds.RescaleIntercept, ds.RescaleSlope, ds.RescaleType = -1024, 1, "HU"
        ds.PixelData = (hu_slice(x, y, z) + 1024).astype(np.uint16).tobytes()
        ds.save_as(os.path.join(out, "ct", f"CT.{k + 1}.dcm"), write_like_original=False)
        slices.append((uid, z))
    return series_uid, slices


def polygon(shape, z, points=48):
    (cx, cy), (a, b) = shape
    data = []
    for n in range(points):
        t = 2 * math.pi * n / points
        data += [cx + a * math.cos(t), cy + b * math.sin(t), z]
    return data


def write_rtstruct(out, study_uid, frame_uid, series_uid, slices, now):
    ds = base(RT_STRUCT, generate_uid(), "RTSTRUCT", generate_uid(), study_uid, frame_uid, now)
    del ds.FrameOfReferenceUID
    ds.OperatorsName = ""
    ds.StructureSetLabel, ds.StructureSetDate, ds.StructureSetTime = "ABDOMEN", ds.StudyDate, ds.StudyTime
    contour_images = Sequence([Dataset() for _ in slices])
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
    ds.StructureSetROISequence, ds.ROIContourSequence, ds.RTROIObservationsSequence = Sequence(), Sequence(), Sequence()
    for number, (name, kind, color, shape_at) in enumerate(ROIS, start=1):
        roi = Dataset()
        roi.ROINumber, roi.ReferencedFrameOfReferenceUID, roi.ROIName, roi.ROIGenerationAlgorithm = number, frame_uid, name, "MANUAL"
        ds.StructureSetROISequence.append(roi)
        contours = Sequence()
        for uid, z in slices:
            shape = shape_at(z)
            if shape is None:
                continue
            c = Dataset()
            image = Dataset()
            image.ReferencedSOPClassUID, image.ReferencedSOPInstanceUID = CT_IMAGE, uid
            c.ContourImageSequence = Sequence([image])
            data = polygon(shape, z)
            c.ContourGeometricType, c.NumberOfContourPoints, c.ContourData = "CLOSED_PLANAR", len(data) // 3, data
            contours.append(c)
        rc = Dataset()
        rc.ROIDisplayColor, rc.ContourSequence, rc.ReferencedROINumber = color, contours, number
        ds.ROIContourSequence.append(rc)
        obs = Dataset()
        obs.ObservationNumber, obs.ReferencedROINumber, obs.RTROIInterpretedType, obs.ROIInterpreter = number, number, kind, ""
        ds.RTROIObservationsSequence.append(obs)
    ds.save_as(os.path.join(out, "rtstruct.dcm"), write_like_original=False)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--voxel", type=float, default=4.0)
    args = parser.parse_args()
    now = datetime.datetime(2026, 1, 2, 3, 4, 5)
    study_uid, frame_uid = generate_uid(), generate_uid()
    series_uid, slices = write_ct(args.out, args.voxel, study_uid, frame_uid, now)
    write_rtstruct(args.out, study_uid, frame_uid, series_uid, slices, now)
    print(args.out)


main()
