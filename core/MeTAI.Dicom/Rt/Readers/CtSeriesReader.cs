using System.Buffers.Binary;
using System.Globalization;
using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;

namespace MeTAI.Dicom.Rt.Readers;

/// <summary>
/// Reads CT Image Storage slices into a <see cref="CtSeries"/>: groups them by Series Instance UID, orders them along
/// the slice normal (row × column direction of Image Orientation (Patient), dotted with Image Position (Patient)),
/// applies Rescale Slope/Intercept to give HU, and rejects series that do not form one regular grid (differing
/// orientation, size or pixel spacing; duplicate, missing or unevenly spaced slices; sheared stacks), naming the file
/// and attribute at fault.
/// </summary>
public static class CtSeriesReader
{
    /// <summary>Largest difference between slice gaps, as a fraction of the gap, still read as one regular grid.</summary>
    public const double SliceGapRelativeTolerance = 0.01;

    /// <summary>Largest difference in mm between slice gaps (or in-plane drift) still read as one regular grid.</summary>
    public const double PositionToleranceMm = 0.01;

    /// <summary>
    /// Reads the CT slices under <paramref name="path"/> (a directory, searched recursively, or one file). Files that
    /// are not DICOM are skipped; DICOM files of other modalities are ignored.
    /// </summary>
    /// <param name="path">Directory or file.</param>
    /// <param name="seriesInstanceUid">The series to read when the files hold several; null to require exactly one.</param>
    /// <param name="clampHu">Clamp HU outside the 16-bit range instead of failing.</param>
    public static CtSeries Read(string path, string? seriesInstanceUid = null, bool clampHu = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        IEnumerable<string> files = Directory.Exists(path)
            ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            : File.Exists(path) ? [path] : throw new FileNotFoundException($"{path}: no such file or directory.", path);
        try
        {
            return Read(files, seriesInstanceUid, clampHu);
        }
        catch (DicomFormatException ex) when (ex.FilePath is null)
        {
            throw ex.WithFile(path);
        }
    }

    /// <summary>Reads CT slices from a list of files (non-DICOM files skipped, other modalities ignored).</summary>
    public static CtSeries Read(IEnumerable<string> files, string? seriesInstanceUid = null, bool clampHu = false)
    {
        ArgumentNullException.ThrowIfNull(files);
        var datasets = new List<(string Source, DicomFile File)>();
        foreach (string file in files)
        {
            if (RtFiles.TryReadFile(file, out DicomFile? f))
            {
                datasets.Add((file, f));
            }
        }

        return FromFiles(datasets, seriesInstanceUid, clampHu);
    }

    /// <summary>
    /// Builds the series from datasets already read (each with the file or name it came from, for errors); pixel data
    /// is taken as little endian.
    /// </summary>
    public static CtSeries FromDatasets(IEnumerable<(string Source, DicomDataset Dataset)> datasets, string? seriesInstanceUid = null, bool clampHu = false)
    {
        ArgumentNullException.ThrowIfNull(datasets);
        return FromFiles(datasets.Select(d => (d.Source, new DicomFile(d.Dataset))), seriesInstanceUid, clampHu);
    }

    /// <summary>Builds the series from files already read (each with its path or name, for errors).</summary>
    public static CtSeries FromFiles(IEnumerable<(string Source, DicomFile File)> files, string? seriesInstanceUid = null, bool clampHu = false)
    {
        ArgumentNullException.ThrowIfNull(files);
        var ct = files.Select(f => (f.Source, Dataset: f.File.Dataset, f.File.TransferSyntax)).Where(d => IsCt(d.Dataset)).ToList();
        if (ct.Count == 0)
        {
            throw new DicomFormatException("no CT Image Storage slices found");
        }

        var groups = ct.GroupBy(d => RtRead.RequiredString(d.Dataset, DicomTags.SeriesInstanceUID, d.Source), StringComparer.Ordinal).ToList();
        List<(string Source, DicomDataset Dataset, DicomTransferSyntax TransferSyntax)> slices;
        if (seriesInstanceUid is not null)
        {
            slices = groups.FirstOrDefault(g => g.Key == seriesInstanceUid)?.ToList()
                ?? throw new DicomFormatException($"series {seriesInstanceUid} not found; the CT series present are {Describe(groups)}");
        }
        else if (groups.Count > 1)
        {
            throw new DicomFormatException($"found {groups.Count} CT series ({Describe(groups)}); choose one by its Series Instance UID");
        }
        else
        {
            slices = [.. groups[0]];
        }

        return Build(slices, clampHu);
    }

    private static bool IsCt(DicomDataset ds) =>
        RtRead.String(ds, DicomTags.SOPClassUID) == DicomUid.CTImageStorage
        || (RtRead.String(ds, DicomTags.SOPClassUID) is null && RtRead.String(ds, DicomTags.Modality) == "CT");

    private static string Describe(IEnumerable<IGrouping<string, (string Source, DicomDataset Dataset, DicomTransferSyntax TransferSyntax)>> groups) =>
        string.Join("; ", groups.Select(g =>
        {
            string description = RtRead.String(g.First().Dataset, DicomTags.SeriesDescription) ?? string.Empty;
            return $"{g.Key} ({g.Count()} slices{(description.Length > 0 ? ", " + description : string.Empty)})";
        }));

    private sealed record Slice(string Source, DicomDataset Dataset, DicomTransferSyntax TransferSyntax, Vec3 PositionLps, double Along);

    private static CtSeries Build(List<(string Source, DicomDataset Dataset, DicomTransferSyntax TransferSyntax)> input, bool clampHu)
    {
        (string firstSource, DicomDataset first, _) = input[0];
        (Vec3 row, Vec3 col) = RtRead.Orientation(first, firstSource);
        Vec3 normal = Vec3.Cross(row, col);
        int rows = RtRead.RequiredInt(first, DicomTags.Rows, firstSource);
        int cols = RtRead.RequiredInt(first, DicomTags.Columns, firstSource);
        double[] pixelSpacing = RtRead.RequiredDoubles(first, DicomTags.PixelSpacing, 2, firstSource);
        if (rows <= 0 || cols <= 0)
        {
            throw RtRead.Error(firstSource, rows <= 0 ? DicomTags.Rows : DicomTags.Columns, "must be positive");
        }

        if (!(pixelSpacing[0] > 0 && pixelSpacing[1] > 0))
        {
            throw RtRead.Error(firstSource, DicomTags.PixelSpacing, "must be positive");
        }

        var slices = new List<Slice>(input.Count);
        foreach ((string source, DicomDataset ds, DicomTransferSyntax syntax) in input)
        {
            (Vec3 r, Vec3 c) = RtRead.Orientation(ds, source);
            if ((r - row).Length > 1e-4 || (c - col).Length > 1e-4)
            {
                throw RtRead.Error(source, DicomTags.ImageOrientationPatient, $"differs from {firstSource}");
            }

            if (RtRead.RequiredInt(ds, DicomTags.Rows, source) != rows)
            {
                throw RtRead.Error(source, DicomTags.Rows, $"{RtRead.RequiredInt(ds, DicomTags.Rows, source)} differs from {rows} in {firstSource}");
            }

            if (RtRead.RequiredInt(ds, DicomTags.Columns, source) != cols)
            {
                throw RtRead.Error(source, DicomTags.Columns, $"{RtRead.RequiredInt(ds, DicomTags.Columns, source)} differs from {cols} in {firstSource}");
            }

            double[] ps = RtRead.RequiredDoubles(ds, DicomTags.PixelSpacing, 2, source);
            if (Math.Abs(ps[0] - pixelSpacing[0]) > 1e-4 || Math.Abs(ps[1] - pixelSpacing[1]) > 1e-4)
            {
                throw RtRead.Error(source, DicomTags.PixelSpacing, $"{Text(ps[0])}\\{Text(ps[1])} differs from {Text(pixelSpacing[0])}\\{Text(pixelSpacing[1])} in {firstSource}");
            }

            Vec3 ipp = RtRead.RequiredVec3(ds, DicomTags.ImagePositionPatient, source);
            slices.Add(new Slice(source, ds, syntax, ipp, Vec3.Dot(ipp, normal)));
        }

        slices.Sort((a, b) => a.Along.CompareTo(b.Along));
        double dz = CheckStack(slices, row, col, first, firstSource);

        // Pixel Spacing is row spacing (between rows, along j) then column spacing (between columns, along i).
        var geometry = new GridGeometry(cols, rows, slices.Count, new Vec3(pixelSpacing[1], pixelSpacing[0], dz), slices[0].PositionLps, Mat3.FromColumns(row, col, normal));
        var hu = new VoxelGrid<short>(geometry);
        for (int k = 0; k < slices.Count; k++)
        {
            ReadSlice(slices[k], hu.Slice(k), rows, cols, clampHu);
        }

        string frameOfReference = RtRead.RequiredString(first, DicomTags.FrameOfReferenceUID, firstSource);
        foreach (Slice s in slices)
        {
            if (RtRead.String(s.Dataset, DicomTags.FrameOfReferenceUID) != frameOfReference)
            {
                throw RtRead.Error(s.Source, DicomTags.FrameOfReferenceUID, $"differs from {firstSource}");
            }

            // One series, one way the patient lay: beams and gravity are placed by it (PS3.3 C.7.3.1.1.2).
            if (RtRead.String(s.Dataset, DicomTags.PatientPosition) != RtRead.String(first, DicomTags.PatientPosition))
            {
                throw RtRead.Error(s.Source, DicomTags.PatientPosition,
                    $"'{RtRead.String(s.Dataset, DicomTags.PatientPosition)}' differs from '{RtRead.String(first, DicomTags.PatientPosition)}' in {firstSource} (a series has one patient position)");
            }
        }

        return new CtSeries(
            hu,
            RtPatientStudy.FromDataset(first, firstSource),
            RtRead.RequiredString(first, DicomTags.SeriesInstanceUID, firstSource),
            frameOfReference,
            [.. slices.Select(s => RtRead.RequiredString(s.Dataset, DicomTags.SOPInstanceUID, s.Source))])
        {
            SeriesNumber = RtRead.OptionalInt(first, DicomTags.SeriesNumber, firstSource) ?? 1,
            SeriesDescription = RtRead.String(first, DicomTags.SeriesDescription) ?? string.Empty,
            PatientPosition = RtRead.String(first, DicomTags.PatientPosition) ?? string.Empty,
            KvP = RtRead.OptionalDouble(first, DicomTags.KVP, firstSource),
            SourceFiles = [.. slices.Select(s => s.Source)],
        };
    }

    /// <summary>Checks the sorted slices form a regular stack along the normal; returns the slice spacing in mm.</summary>
    private static double CheckStack(List<Slice> slices, Vec3 row, Vec3 col, DicomDataset first, string firstSource)
    {
        if (slices.Count == 1)
        {
            // One slice: the spacing along the normal is the slice thickness (or 1 mm when not given).
            double thickness = RtRead.OptionalDouble(first, DicomTags.SliceThickness, firstSource) ?? 0;
            return thickness > 0 ? thickness : 1.0;
        }

        double dz = slices[1].Along - slices[0].Along;
        for (int k = 1; k < slices.Count; k++)
        {
            Slice a = slices[k - 1], b = slices[k];
            double gap = b.Along - a.Along;
            if (gap < PositionToleranceMm)
            {
                throw RtRead.Error(b.Source, DicomTags.ImagePositionPatient, $"duplicate slice position {Text(b.Along)} mm along the normal (same as {a.Source})");
            }

            if (Math.Abs(gap - dz) > Math.Max(PositionToleranceMm, SliceGapRelativeTolerance * dz))
            {
                throw RtRead.Error(b.Source, DicomTags.ImagePositionPatient, $"slice gap {Text(gap)} mm after {a.Source} differs from {Text(dz)} mm (missing or unevenly spaced slices)");
            }

            Vec3 d = b.PositionLps - slices[0].PositionLps;
            double inPlane = Math.Sqrt(Math.Pow(Vec3.Dot(d, row), 2) + Math.Pow(Vec3.Dot(d, col), 2));
            if (inPlane > PositionToleranceMm)
            {
                throw RtRead.Error(b.Source, DicomTags.ImagePositionPatient, $"slice is shifted {Text(inPlane)} mm in-plane from the first slice (tilted or sheared stack)");
            }
        }

        // The mean gap is more accurate than the first one when positions carry DS rounding.
        return (slices[^1].Along - slices[0].Along) / (slices.Count - 1);
    }

    private static void ReadSlice(Slice slice, Span<short> hu, int rows, int cols, bool clampHu)
    {
        DicomDataset ds = slice.Dataset;
        string source = slice.Source;
        int bitsAllocated = RtRead.RequiredInt(ds, DicomTags.BitsAllocated, source);
        if (bitsAllocated != 16)
        {
            throw RtRead.Error(source, DicomTags.BitsAllocated, $"{bitsAllocated} is not supported for CT (16 expected)");
        }

        int samples = RtRead.OptionalInt(ds, DicomTags.SamplesPerPixel, source) ?? 1;
        if (samples != 1)
        {
            throw RtRead.Error(source, DicomTags.SamplesPerPixel, $"{samples} is not supported for CT (1 expected)");
        }

        int bitsStored = RtRead.OptionalInt(ds, DicomTags.BitsStored, source) ?? 16;
        if (bitsStored is < 1 or > 16)
        {
            throw RtRead.Error(source, DicomTags.BitsStored, $"{bitsStored} is out of range 1–16");
        }

        bool signed = (RtRead.OptionalInt(ds, DicomTags.PixelRepresentation, source) ?? 0) == 1;
        double slope = RtRead.OptionalDouble(ds, DicomTags.RescaleSlope, source) ?? 1.0;
        double intercept = RtRead.OptionalDouble(ds, DicomTags.RescaleIntercept, source) ?? 0.0;
        if (slope == 0)
        {
            throw RtRead.Error(source, DicomTags.RescaleSlope, "must not be zero");
        }

        ReadOnlySpan<byte> bytes = RtPixels.Frames(ds, 2 * rows * cols, 1, slice.TransferSyntax, source);
        int shift = 16 - bitsStored;
        for (int n = 0; n < hu.Length; n++)
        {
            ushort raw = BinaryPrimitives.ReadUInt16LittleEndian(bytes[(2 * n)..]);
            // Only the low BitsStored bits carry the value; sign-extend from there for signed data.
            int stored = signed ? (short)(raw << shift) >> shift : (raw << shift & 0xFFFF) >> shift;
            double value = Math.Round(stored * slope + intercept);
            if (value is < short.MinValue or > short.MaxValue)
            {
                if (!clampHu)
                {
                    throw RtRead.Error(source, DicomTags.RescaleIntercept, $"pixel ({n % cols}, {n / cols}) gives {Text(value)} HU, outside the 16-bit range −32768…32767 (RescaleSlope {Text(slope)}, RescaleIntercept {Text(intercept)})");
                }

                value = Math.Clamp(value, short.MinValue, short.MaxValue);
            }

            hu[n] = (short)value;
        }
    }

    private static string Text(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);
}
