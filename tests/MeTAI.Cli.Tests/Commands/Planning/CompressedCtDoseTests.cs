using MeTAI.TestUtilities;
using System.Text.Json;
using MeTAI.Dicom;
using MeTAI.Dicom.Imaging;
using Xunit.Abstractions;

namespace MeTAI.Cli.Tests.Commands.Planning;

/// <summary>
/// A CT series compressed by dcmtk and GDCM plans to the same dose as the uncompressed one: the slab-lung phantom (air,
/// water and lung-density slabs, so the CT numbers matter), every slice compressed, and the same `dose --ct --plan`
/// run (pydicom's 6 MV plan, fixed seed, CPU) on each copy. Lossless → the RT Dose pixel data identical byte for byte;
/// JPEG-LS near-lossless (NEAR 2 HU) → the difference is printed and must stay far below the Monte Carlo noise.
/// </summary>
public class CompressedCtDoseTests(ITestOutputHelper output)
{
    private const string PydicomPlan = CliRunner.PydicomTestFiles + "/rtplan.dcm";

    [ToolFact("dcmcjpls", "dcmcjpeg", "gdcmconv")]
    public void Dose_CtCompressedByDcmtkAndGdcm_SameDoseAsUncompressed()
    {
        if (!File.Exists(PydicomPlan))
        {
            return;
        }

        string native = CliRunner.TempDir("ct-native");
        Assert.Equal(0, CliRunner.Run("phantom", "slab-lung", "--voxel", "5", "--out", native).ExitCode);
        (byte[] Pixels, JsonElement Summary) reference = Dose(native, "native");

        var lossless = new (string Name, string Tool, string[] Options, string Uid)[]
        {
            ("jpeg-ls", "dcmcjpls", [], "1.2.840.10008.1.2.4.80"),
            ("jpeg-lossless-sv6", "dcmcjpeg", ["+el"], "1.2.840.10008.1.2.4.57"),
            ("jpeg-lossless-sv1", "dcmcjpeg", ["+e1"], "1.2.840.10008.1.2.4.70"),
            ("jpeg2000", "gdcmconv", ["--j2k"], "1.2.840.10008.1.2.4.90"),
        };
        foreach ((string name, string tool, string[] options, string uid) in lossless)
        {
            string copy = CompressedCopy(native, name, tool, options, uid);
            (byte[] pixels, JsonElement summary) = Dose(copy, name);
            Assert.True(reference.Pixels.AsSpan().SequenceEqual(pixels), $"{name}: the RT Dose differs from the uncompressed CT's");
            foreach (string field in new[] { "doseAtIsocenterGy", "maxDoseGy" })
            {
                if (reference.Summary.TryGetProperty(field, out JsonElement expected))
                {
                    Assert.Equal(expected.GetDouble(), summary.GetProperty(field).GetDouble());
                }
            }
        }

        string near = CompressedCopy(native, "jpeg-ls-near2", "gdcmconv", ["--jpegls", "--lossy", "-e", "2"], "1.2.840.10008.1.2.4.81");
        (byte[] nearPixels, JsonElement nearSummary) = Dose(near, "jpeg-ls-near2");
        double iso = reference.Summary.GetProperty("doseAtIsocenterGy").GetDouble(), nearIso = nearSummary.GetProperty("doseAtIsocenterGy").GetDouble();
        output.WriteLine($"JPEG-LS near-lossless (NEAR 2): isocentre {nearIso:0.#####} Gy vs {iso:0.#####} Gy uncompressed; RT Dose bytes identical: {reference.Pixels.AsSpan().SequenceEqual(nearPixels)}");
        Assert.True(Math.Abs(nearIso - iso) < 0.05 * iso, $"near-lossless isocentre dose {nearIso} vs {iso}");
    }

    private static string CompressedCopy(string native, string name, string tool, string[] options, string uid)
    {
        string copy = CliRunner.TempDir("ct-" + name);
        File.Copy(Path.Combine(native, "rtstruct.dcm"), Path.Combine(copy, "rtstruct.dcm"));
        Directory.CreateDirectory(Path.Combine(copy, "ct"));
        foreach (string slice in Directory.GetFiles(Path.Combine(native, "ct"), "*.dcm"))
        {
            string target = Path.Combine(copy, "ct", Path.GetFileName(slice));
            ProcessOutput r = OutsideTools.Run(tool, [.. options, slice, target]);
            Assert.True(r.ExitCode == 0, $"{tool} {string.Join(' ', options)}: {r.Output}");
            Assert.Equal(uid, DicomFile.Open(target).TransferSyntax.Uid);
        }

        return copy;
    }

    private (byte[] Pixels, JsonElement Summary) Dose(string ct, string name)
    {
        string outDir = CliRunner.TempDir("dose-" + name);
        (int code, string stdout, string stderr) = CliRunner.Run("dose", "--ct", ct, "--plan", PydicomPlan, "--allow-inconsistent", "--isocenter", "ssd", "--fractions", "1",
            "--histories", "200000", "--device", "cpu", "--seed", "11", "--out", outDir);
        Assert.True(code == 0, $"{name}: {stderr}{stdout}");
        output.WriteLine($"{name}: {stdout.Split('\n').FirstOrDefault(l => l.Contains("at the isocentre", StringComparison.Ordinal))?.Trim()}");
        DicomFile dose = DicomFile.Open(Path.Combine(outDir, "rtdose.dcm"));
        DicomPixelData pixels = DicomPixelData.Create(dose);
        byte[] all = [.. Enumerable.Range(0, pixels.NumberOfFrames).SelectMany(pixels.GetFrame), .. System.Text.Encoding.ASCII.GetBytes(dose.Dataset.GetString(DicomTags.DoseGridScaling) ?? string.Empty)];
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        return (all, doc.RootElement.Clone());
    }
}
