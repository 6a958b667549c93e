using System.Globalization;

namespace MeTAI.Dicom.Tests;

/// <summary>Element-by-element comparison of datasets, with the writer's documented normalisations.</summary>
internal static class DatasetAssert
{
    /// <summary>
    /// Asserts that <paramref name="actual"/> (read back after writing) equals <paramref name="expected"/>: same tags in
    /// the same order, same VRs, same value bytes. Normalisations (the writer's documented behaviour): dataset group
    /// lengths (gggg,0000) are not written, and odd-length values come back padded with the VR's padding byte.
    /// </summary>
    public static void WrittenEqual(DicomDataset expected, DicomDataset actual, string path = "")
    {
        var exp = expected.Where(e => !e.Tag.IsGroupLength && e.Tag.Group != 0x0002).ToList();
        var act = actual.ToList();
        Assert.True(exp.Count == act.Count, $"{path}: {exp.Count} elements expected, {act.Count} read back ({string.Join(' ', exp.Select(e => e.Tag).Except(act.Select(e => e.Tag)))})");
        for (int i = 0; i < exp.Count; i++)
        {
            DicomElement e = exp[i], a = act[i];
            string where = $"{path}{e.Tag}";
            Assert.True(e.Tag == a.Tag, $"{where}: tag {a.Tag} read back");
            Assert.True(e.VR == a.VR, $"{where}: VR {e.VR} written, {a.VR} read back");
            switch (e)
            {
                case DicomSequence s:
                    var sa = Assert.IsType<DicomSequence>(a);
                    Assert.True(s.Items.Count == sa.Items.Count, $"{where}: {s.Items.Count} items written, {sa.Items.Count} read back");
                    for (int k = 0; k < s.Items.Count; k++)
                    {
                        WrittenEqual(s.Items[k], sa.Items[k], $"{where}[{k.ToString(CultureInfo.InvariantCulture)}].");
                    }

                    break;
                case DicomFragmentSequence f:
                    var fa = Assert.IsType<DicomFragmentSequence>(a);
                    BytesEqual(f.BasicOffsetTable.Span, fa.BasicOffsetTable.Span, 0, where + " offset table");
                    Assert.Equal(f.Fragments.Count, fa.Fragments.Count);
                    for (int k = 0; k < f.Fragments.Count; k++)
                    {
                        BytesEqual(f.Fragments[k].Span, fa.Fragments[k].Span, 0, $"{where} fragment {k}");
                    }

                    break;
                default:
                    BytesEqual(e.Value.Span, a.Value.Span, e.VR.PaddingByte, where);
                    break;
            }
        }
    }

    private static void BytesEqual(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual, byte padding, string where)
    {
        if (expected.Length % 2 == 1)
        {
            Assert.True(actual.Length == expected.Length + 1 && actual[^1] == padding, $"{where}: odd value not padded");
            actual = actual[..^1];
        }

        Assert.True(expected.SequenceEqual(actual), $"{where}: value bytes differ");
    }
}
