using System.Globalization;
using System.Text;
using MeTAI.Core.Geometry;

namespace MeTAI.Dicom.Rt.Readers;

/// <summary>
/// Typed reads for the RT readers that fail with a <see cref="DicomFormatException"/> naming the file and the
/// attribute (keyword and tag), so a bad input gives one clear line.
/// </summary>
internal static class RtRead
{
    public static DicomFormatException Error(string? source, DicomTag tag, string reason) =>
        new($"{Keyword(tag)}: {reason}", -1, tag, source);

    public static DicomFormatException Error(string? source, string reason) => new(reason, -1, null, source);

    public static string Keyword(DicomTag tag) => DicomDictionary.Lookup(tag)?.Keyword ?? tag.ToString();

    /// <summary>Text value with padding removed, or null when absent or empty.</summary>
    public static string? String(DicomDataset ds, DicomTag tag)
    {
        string[] parts = Strings(ds, tag);
        if (parts.Length == 0)
        {
            return null;
        }

        string s = string.Join('\\', parts);
        return s.Length == 0 ? null : s;
    }

    public static string[] Strings(DicomDataset ds, DicomTag tag)
    {
        if (!ds.TryGetElement(tag, out DicomElement e) || e is DicomSequence)
        {
            return [];
        }

        // Some writers (and some transfer-syntax conversions) leave text attributes as UN; read those as ASCII.
        if (e.VR == DicomVR.UN)
        {
            string text = Encoding.ASCII.GetString(e.Value.Span).TrimEnd('\0', ' ');
            return text.Length == 0 ? [] : [.. text.Split('\\').Select(p => p.Trim(' ', '\0'))];
        }

        return ds.GetStrings(tag);
    }

    public static string RequiredString(DicomDataset ds, DicomTag tag, string? source) =>
        String(ds, tag) ?? throw Error(source, tag, "required attribute is missing or empty");

    public static double[] Doubles(DicomDataset ds, DicomTag tag, string? source)
    {
        if (!ds.TryGetElement(tag, out DicomElement e) || e is DicomSequence)
        {
            return [];
        }

        if (e.VR == DicomVR.UN || e.VR.IsText)
        {
            string[] parts = Strings(ds, tag);
            var values = new double[parts.Length];
            for (int i = 0; i < parts.Length; i++)
            {
                if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
                {
                    throw Error(source, tag, $"value {i + 1} '{parts[i]}' is not a number");
                }
            }

            return values;
        }

        try
        {
            return ds.GetValues<double>(tag);
        }
        catch (DicomFormatException ex)
        {
            throw Error(source, tag, ex.Reason);
        }
    }

    public static double[] RequiredDoubles(DicomDataset ds, DicomTag tag, int count, string? source)
    {
        double[] v = Doubles(ds, tag, source);
        if (v.Length == 0)
        {
            throw Error(source, tag, "required attribute is missing or empty");
        }

        if (count > 0 && v.Length != count)
        {
            throw Error(source, tag, $"expected {count} values, found {v.Length}");
        }

        return v;
    }

    public static double? OptionalDouble(DicomDataset ds, DicomTag tag, string? source)
    {
        double[] v = Doubles(ds, tag, source);
        return v.Length > 0 ? v[0] : null;
    }

    public static double RequiredDouble(DicomDataset ds, DicomTag tag, string? source) =>
        RequiredDoubles(ds, tag, 0, source)[0];

    public static int? OptionalInt(DicomDataset ds, DicomTag tag, string? source)
    {
        double? d = OptionalDouble(ds, tag, source);
        if (d is null)
        {
            return null;
        }

        if (d.Value != Math.Round(d.Value) || d.Value is < int.MinValue or > int.MaxValue)
        {
            throw Error(source, tag, $"value {d.Value.ToString(CultureInfo.InvariantCulture)} is not an integer");
        }

        return (int)d.Value;
    }

    public static int RequiredInt(DicomDataset ds, DicomTag tag, string? source) =>
        OptionalInt(ds, tag, source) ?? throw Error(source, tag, "required attribute is missing or empty");

    public static Vec3 RequiredVec3(DicomDataset ds, DicomTag tag, string? source)
    {
        double[] v = RequiredDoubles(ds, tag, 3, source);
        return new Vec3(v[0], v[1], v[2]);
    }

    public static Vec3? OptionalVec3(DicomDataset ds, DicomTag tag, string? source)
    {
        double[] v = Doubles(ds, tag, source);
        if (v.Length == 0)
        {
            return null;
        }

        return v.Length == 3 ? new Vec3(v[0], v[1], v[2]) : throw Error(source, tag, $"expected 3 values, found {v.Length}");
    }

    /// <summary>Row and column direction cosines of Image Orientation (Patient), checked to be unit and orthogonal.</summary>
    public static (Vec3 Row, Vec3 Column) Orientation(DicomDataset ds, string? source)
    {
        double[] v = RequiredDoubles(ds, DicomTags.ImageOrientationPatient, 6, source);
        var row = new Vec3(v[0], v[1], v[2]);
        var col = new Vec3(v[3], v[4], v[5]);
        const double tol = 1e-3;
        if (Math.Abs(row.Length - 1) > tol || Math.Abs(col.Length - 1) > tol || Math.Abs(Vec3.Dot(row, col)) > tol)
        {
            throw Error(source, DicomTags.ImageOrientationPatient, "direction cosines are not two orthogonal unit vectors");
        }

        // Re-orthonormalise: DS text keeps ~16 digits, GridGeometry wants orthonormal to 1e-4.
        row = row.Normalized();
        col = (col - row * Vec3.Dot(row, col)).Normalized();
        return (row, col);
    }

    /// <summary>The single item of a sequence element, or null.</summary>
    public static DicomDataset? FirstItem(DicomDataset ds, DicomTag tag)
    {
        IReadOnlyList<DicomDataset> items = ds.GetItems(tag);
        return items.Count > 0 ? items[0] : null;
    }

    /// <summary>Referenced SOP Instance UID of the first item of a reference sequence, or null.</summary>
    public static string? ReferencedSopInstance(DicomDataset ds, DicomTag sequence) =>
        FirstItem(ds, sequence) is { } item ? String(item, DicomTags.ReferencedSOPInstanceUID) : null;
}
