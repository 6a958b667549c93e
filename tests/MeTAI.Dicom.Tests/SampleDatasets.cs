using System.Buffers.Binary;

namespace MeTAI.Dicom.Tests;

/// <summary>Datasets built for writer tests.</summary>
internal static class SampleDatasets
{
    /// <summary>
    /// A Secondary Capture-classed dataset with (almost) every VR: odd-length values that need padding, UTF-8 text in
    /// PN/LO/ST/LT/UT/UC (ISO_IR 192), multi-valued numbers, 64-bit VRs, a private block, and sequences nested three
    /// deep with an empty sequence and an empty item.
    /// </summary>
    public static DicomDataset Rich()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192");
        ds.AddOrUpdate(DicomTags.ImageType, DicomVR.CS, "DERIVED", "SECONDARY");
        ds.AddOrUpdate(DicomTags.InstanceCreationDate, DicomVR.DA, "20250101");
        ds.AddOrUpdate(DicomTags.InstanceCoercionDateTime, DicomVR.DT, "20250101120000.123456+0100");
        ds.AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.7");
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, DicomUid.Generate());
        ds.AddOrUpdate(DicomTags.StudyTime, DicomVR.TM, "120000.5");
        ds.AddOrUpdate(DicomTags.RetrieveAETitle, DicomVR.AE, "METAI_AE", "BACKUP");
        ds.AddOrUpdate(DicomTags.InstitutionAddress, DicomVR.ST, "Rämistrasse 100, Zürich \\ Switzerland");
        ds.AddOrUpdate(DicomTags.ExtendedCodeMeaning, DicomVR.LT, "First line\r\nSecond line — ünïcödé");
        ds.AddOrUpdate(DicomTags.LongCodeValue, DicomVR.UC, new string('x', 101));
        ds.AddOrUpdate(DicomTags.PrivateDataElementDescription, DicomVR.UT, "Unlimited text ✓ 日本語");
        ds.AddOrUpdate(DicomTags.RetrieveURL, DicomVR.UR, "https://example.org/dicomweb/studies");
        ds.AddOrUpdate(DicomTags.PatientName, DicomVR.PN, "Müller^Jürgen=ミュラー^ユルゲン");
        ds.AddOrUpdate(DicomTags.PatientID, DicomVR.LO, "odd");
        ds.AddOrUpdate(DicomTags.PatientAge, DicomVR.AS, "045Y");
        ds.AddOrUpdate(DicomTags.ExaminedBodyThickness, DicomVR.FL, 3.25);
        ds.AddOrUpdate(DicomTags.SliceThickness, DicomVR.DS, 2.5);
        ds.AddOrUpdate(DicomTags.AcquisitionMatrix, DicomVR.US, 0, 256, 256, 0);
        ds.AddOrUpdate(DicomTags.ReferencePixelX0, DicomVR.SL, -123456);
        ds.AddOrUpdate(DicomTags.TagAngleSecondAxis, DicomVR.SS, -5);
        ds.AddOrUpdate(DicomTags.TimeRange, DicomVR.FD, 1.5, -2.25);
        ds.AddOrUpdate(DicomTags.OffsetOfTheNextDirectoryRecord, DicomVR.UL, 4_000_000_000.0);
        ds.AddOrUpdate(DicomTags.InstanceNumber, DicomVR.IS, 7);
        ds.AddOrUpdate(DicomTags.ImageOrientationPatient, DicomVR.DS, 1.0, 0.0, 0.0, 0.0, 0.7071067811865476, -0.7071067811865476);
        ds.AddOrUpdate(DicomTags.FrameIncrementPointer, DicomTags.FrameTime, DicomTags.SliceLocation);
        ds.AddOrUpdate(DicomTags.EncapsulatedDocument, DicomVR.OB, new byte[] { 1, 2, 3, 4, 5 });
        ds.AddOrUpdate(DicomTags.DoublePointCoordinatesData, DicomVR.OD, Bytes(8, 3));
        ds.AddOrUpdate(DicomTags.LongPrimitivePointIndexList, DicomVR.OL, Bytes(4, 5));
        ds.AddOrUpdate(DicomTags.VerticesOfThePolygonalOutline, DicomVR.OF, Bytes(4, 6));
        ds.AddOrUpdate(DicomTags.SelectorOVValue, DicomVR.OV, Bytes(8, 2));
        ds.AddOrUpdate(DicomTags.SelectorSVValue, DicomVR.SV, -9_000_000_000_000_000.0, 42);
        var uv = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(uv, 18_000_000_000_000_000_000UL);
        ds.AddOrUpdate(DicomTags.SelectorUVValue, DicomVR.UV, uv);
        ds.Add(new DicomElement(DicomTags.SelectorUNValue, DicomVR.UN, new byte[] { 0xCA, 0xFE, 0x01 }));
        ds.AddOrUpdate(new DicomTag(0x0009, 0x0010), DicomVR.LO, "METAI TEST");
        ds.AddOrUpdate(new DicomTag(0x0009, 0x1001), DicomVR.LO, "private value");

        // Items take the character set of the dataset they belong to, so attach them before adding non-ASCII text.
        var middle = new DicomDataset();
        var second = new DicomDataset();
        ds.AddSequence(DicomTags.ReferencedImageSequence, [middle, second, new DicomDataset()]);
        var inner = new DicomDataset();
        middle.AddOrUpdate(DicomTags.ReferencedSOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.2");
        middle.AddOrUpdate(DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, DicomUid.Generate());
        middle.AddSequence(DicomTags.AnatomicRegionSequence, [inner]);
        middle.AddSequence(DicomTags.PurposeOfReferenceCodeSequence, []);
        inner.AddOrUpdate(DicomTags.CodeValue, DicomVR.SH, "T-D1100");
        inner.AddOrUpdate(DicomTags.CodingSchemeDesignator, DicomVR.SH, "SRT");
        inner.AddOrUpdate(DicomTags.CodeMeaning, DicomVR.LO, "Kopf – Hals");
        second.AddOrUpdate(DicomTags.ReferencedFrameNumber, DicomVR.IS, 1, 3, 5);
        return ds;
    }

    private static byte[] Bytes(int unit, int count)
    {
        var b = new byte[unit * count];
        for (int i = 0; i < b.Length; i++)
        {
            b[i] = (byte)(i * 37 + 11);
        }

        return b;
    }
}
