using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Readers;
using MeTAI.Dicom.Rt.Writers;
using Xunit.Abstractions;

namespace MeTAI.Dicom.Tests.Rt;

/// <summary>
/// Acceptance: the CT slices, RTSTRUCT, RTPLAN and RTDOSE we write are read by pydicom with the values we wrote,
/// parsed by dcmdump without warnings, and pass dciodvfy without Error lines; dicompyler-core's ROI volumes agree with
/// our masks' within 2 %.
/// </summary>
public sealed class RtOutsideToolsTests(ITestOutputHelper output)
{
    /// <summary>One written set: the datasets as built in memory and the files they were saved to.</summary>
    private sealed record Written(string Directory, IReadOnlyList<(string Path, DicomDataset Dataset)> Files, CtSeries Ct);

    private static readonly Lazy<Written> Study = new(WriteStudy);

    private static Written WriteStudy()
    {
        CtSeries ct = RtTestData.Ct();
        RtStudy linked = RtStudyWriter.Link(ct, RtStructureSet.FromMasks(ct, RtTestData.Masks(ct.Geometry), created: RtTestData.Created), RtTestData.Plan(), RtTestData.Dose(ct.Geometry));
        string dir = RtTestData.TempDir("outside");
        var files = new List<(string, DicomDataset)>();
        IReadOnlyList<DicomDataset> slices = CtSeriesWriter.ToDatasets(ct, RtTestData.Created);
        files.Add((Path.Combine(dir, "CT.1.dcm"), slices[0]));
        files.Add((Path.Combine(dir, $"CT.{slices.Count}.dcm"), slices[^1]));
        files.Add((Path.Combine(dir, "rtstruct.dcm"), RtStructureSetWriter.ToDataset(linked.StructureSet!, RtTestData.Created)));
        files.Add((Path.Combine(dir, "rtplan.dcm"), RtPlanWriter.ToDataset(linked.Plan!, RtTestData.Created)));
        files.Add((Path.Combine(dir, "rtdose.dcm"), RtDoseWriter.ToDataset(linked.Dose!, RtTestData.Created)));
        files.Add((Path.Combine(dir, "rtdose32.dcm"), RtDoseWriter.ToDataset(linked.Dose!, RtTestData.Created, bitsAllocated: 32)));
        foreach ((string path, DicomDataset ds) in files)
        {
            new DicomFile(ds).Save(path);
        }

        return new Written(dir, files, ct);
    }

    [PydicomFact]
    public void WrittenFiles_PydicomReadsTheValuesWeWrote()
    {
        Written w = Study.Value;
        string text = Pydicom.Run("pydicom_dump.py", w.Files.Select(f => f.Path));
        List<JsonElement> dumps = Pydicom.JsonLines(text);
        Assert.Equal(w.Files.Count, dumps.Count);
        for (int n = 0; n < dumps.Count; n++)
        {
            JsonElement dump = dumps[n];
            Assert.False(dump.TryGetProperty("error", out JsonElement error), $"{w.Files[n].Path}: pydicom failed: {error}");
            var diffs = new List<string>();
            CompareDataset(dump.GetProperty("dataset"), w.Files[n].Dataset, Path.GetFileName(w.Files[n].Path), diffs);

            // pydicom decodes the pixels to the same little-endian samples we stored.
            if (w.Files[n].Dataset.TryGetElement(DicomTags.PixelData, out DicomElement pixelData))
            {
                Assert.Equal(Sha(pixelData.Value.Span), dump.GetProperty("pixels").GetProperty("sha").GetString());
            }

            Assert.Empty(diffs);
        }
    }

    [DicomToolsFact]
    public void WrittenFiles_DcmdumpParsesWithoutWarnings()
    {
        foreach ((string path, DicomDataset ds) in Study.Value.Files)
        {
            (int code, string stdout, string stderr) = OutsideTools.Run(OutsideTools.Dcmdump, path);
            Assert.True(code == 0, $"{path}: dcmdump exit {code}: {stderr}");
            Assert.True(stderr.Length == 0, $"{path}: dcmdump says: {stderr}");
            Assert.DoesNotContain("W: ", stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("E: ", stdout, StringComparison.Ordinal);
            Assert.Contains(ds.Contains(DicomTags.PixelData) ? "(7fe0,0010)" : "(0008,0016)", stdout, StringComparison.Ordinal);
        }
    }

    [DicomToolsFact]
    public void WrittenFiles_DciodvfyReportsNoErrors()
    {
        // Our default RTDOSE (16-bit) is validated. dciodvfy (dicom3tools 1.00) aborts on any 32-bit OW Pixel Data —
        // pydicom's own rtdose.dcm included — so the optional 32-bit form is checked by pydicom and dcmdump only.
        foreach ((string path, _) in Study.Value.Files.Where(f => !f.Path.EndsWith("rtdose32.dcm", StringComparison.Ordinal)))
        {
            (int code, string stdout, string stderr) = OutsideTools.Run(OutsideTools.Dciodvfy, path);
            string report = stdout + stderr;
            output.WriteLine($"{Path.GetFileName(path)}: {report.Trim().Replace('\n', ' ')}");
            Assert.True(code == 0, $"{path}: dciodvfy exit {code}: {report}");
            Assert.DoesNotContain("Error", report, StringComparison.Ordinal);
        }
    }

    [DicomToolsFact]
    public void DeidentifiedFiles_DciodvfyReportsNoErrors()
    {
        Written w = Study.Value;
        string input = Path.Combine(w.Directory, "deid-in");
        Directory.CreateDirectory(input);
        foreach ((string path, _) in w.Files.Where(f => !f.Path.EndsWith("rtdose.dcm", StringComparison.Ordinal)))
        {
            File.Copy(path, Path.Combine(input, Path.GetFileName(path)), overwrite: true);
        }

        string outputDir = Path.Combine(w.Directory, "deid-out");
        foreach (string path in new MeTAI.Dicom.Deid.Deidentifier().DeidentifyDirectory(input, outputDir))
        {
            (_, string stdout, string stderr) = OutsideTools.Run(OutsideTools.Dciodvfy, path);
            string report = stdout + stderr;
            output.WriteLine($"{Path.GetFileName(path)}: {report.Trim().Replace('\n', ' ')}");
            Assert.DoesNotContain("Error", report, StringComparison.Ordinal);
        }
    }

    [DicompylerFact]
    public void UniformDose_DicompylerRoiVolumesMatchOurMasksWithin2Percent()
    {
        CtSeries ct = RtTestData.Ct();
        IReadOnlyList<RtRoiMask> masks = RtTestData.Masks(ct.Geometry);
        string dir = RtTestData.TempDir("dicompyler");
        RtStudyWriter.Write(dir, ct, masks, RtTestData.Plan(), RtTestData.Dose(ct.Geometry, 2f, bump: false));
        RtStructureSet ss = RtStructureSetReader.Read(Path.Combine(dir, "rtstruct.dcm"));

        string json = Pydicom.Run("dicompyler_volumes.py", [Path.Combine(dir, "rtstruct.dcm"), Path.Combine(dir, "rtdose.dcm")]);
        using JsonDocument doc = JsonDocument.Parse(json);
        foreach (RtRoiMask m in masks)
        {
            double ours = ss.ToMask(m.Mask.Name, ct.Geometry).VolumeCc;
            JsonElement theirs = doc.RootElement.GetProperty(m.Mask.Name);
            double volume = theirs.GetProperty("volumeCc").GetDouble();
            double diff = (volume - ours) / ours;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{m.Mask.Name}: ours {ours:F3} cc, dicompyler {volume:F3} cc, {100 * diff:+0.00;-0.00} %"));
            Assert.InRange(diff, -0.02, 0.02);
            // dicompyler-core bins dose in 0.01 Gy steps and reports the upper edge of the top bin.
            Assert.InRange(theirs.GetProperty("maxDoseGy").GetDouble(), 2.0 - 1e-6, 2.01 + 1e-6);
        }
    }

    private static void CompareDataset(JsonElement expected, DicomDataset ours, string path, List<string> diffs)
    {
        var theirs = expected.EnumerateArray().ToDictionary(e => e.GetProperty("tag").GetString()!, e => e);
        var mine = ours.Where(e => !e.Tag.IsGroupLength).ToList();
        if (theirs.Count != mine.Count)
        {
            diffs.Add($"{path}: pydicom has {theirs.Count} elements, we wrote {mine.Count}");
        }

        foreach (DicomElement e in mine)
        {
            string key = e.Tag.Value.ToString("X8", CultureInfo.InvariantCulture);
            string where = $"{path} {e.Tag}";
            if (!theirs.TryGetValue(key, out JsonElement t))
            {
                diffs.Add($"{where}: missing in pydicom's view");
                continue;
            }

            if (t.GetProperty("vr").GetString() != e.VR.Code)
            {
                diffs.Add($"{where}: VR {t.GetProperty("vr").GetString()} vs {e.VR.Code}");
                continue;
            }

            JsonElement value = t.GetProperty("value");
            if (e is DicomSequence seq)
            {
                var items = value.EnumerateArray().ToList();
                if (items.Count != seq.Items.Count)
                {
                    diffs.Add($"{where}: {items.Count} items vs {seq.Items.Count}");
                    continue;
                }

                for (int i = 0; i < items.Count; i++)
                {
                    CompareDataset(items[i], seq.Items[i], $"{where}[{i}]", diffs);
                }
            }
            else if (e.VR.IsText)
            {
                string[] mineText = ours.GetStrings(e.Tag);
                string[] theirText = [.. value.EnumerateArray().Select(v => v.GetString()!.Trim())];
                if (!mineText.SequenceEqual(theirText) && !(mineText.Length == 0 && theirText is [""]))
                {
                    diffs.Add($"{where}: [{string.Join('|', theirText)}] vs [{string.Join('|', mineText)}]");
                }
            }
            else if (e.VR == DicomVR.AT)
            {
                string[] mineTags = [.. ours.GetValues<DicomTag>(e.Tag).Select(x => x.Value.ToString("X8", CultureInfo.InvariantCulture))];
                string[] theirTags = [.. value.EnumerateArray().Select(v => v.GetString()!)];
                if (!mineTags.SequenceEqual(theirTags))
                {
                    diffs.Add($"{where}: AT differs");
                }
            }
            else if (e.VR.Kind == DicomVR.VRKind.Binary)
            {
                double[] mineNumbers = ours.GetValues<double>(e.Tag);
                double[] theirNumbers = [.. value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.Parse(v.GetString()!, CultureInfo.InvariantCulture))];
                if (!mineNumbers.SequenceEqual(theirNumbers))
                {
                    diffs.Add($"{where}: [{string.Join(',', theirNumbers)}] vs [{string.Join(',', mineNumbers)}]");
                }
            }
            else if (value.GetProperty("len").GetInt32() != e.Length || value.GetProperty("sha").GetString() != Sha(e.Value.Span))
            {
                diffs.Add($"{where}: bytes differ");
            }
        }
    }

    private static string Sha(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
