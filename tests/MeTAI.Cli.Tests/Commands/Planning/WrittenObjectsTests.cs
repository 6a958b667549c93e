using System.Security.Cryptography;
using System.Text.Json;
using MeTAI.Dicom;
using MeTAI.Dicom.Rt.Readers;
using MeTAI.TestUtilities;
using Xunit.Abstractions;

namespace MeTAI.Cli.Tests.Commands.Planning;

/// <summary>
/// Every DICOM object the CLI writes, at every setting that changes what is written (<see cref="WrittenObjectsFixture"/>):
/// dicom3tools' dciodvfy finds no error in any of them; no two different objects share a SOP Instance UID; every
/// reference resolves within the written study and the objects share the CT's patient, study and frame of reference
/// (pydicom); and every RT Dose is 0 in air with the maximum its report or summary gives (pydicom and our reader).
/// </summary>
public class WrittenObjectsTests(WrittenObjectsFixture fixture, ITestOutputHelper output) : IClassFixture<WrittenObjectsFixture>
{
    private static readonly string Script = Path.Combine(AppContext.BaseDirectory, "Commands", "Planning", "Tools", "written_study.py");

    [ToolFact("dciodvfy")]
    public void EveryWrittenFile_PassesDciodvfyWithoutErrors()
    {
        var errors = new List<string>();
        var warnings = new SortedDictionary<string, int>(StringComparer.Ordinal);
        int files = 0;
        foreach (WrittenRun run in fixture.Runs)
        {
            Assert.NotEmpty(run.Written);
            foreach (string file in run.Written)
            {
                files++;
                (_, string report) = OutsideTools.Run("dciodvfy", file);
                foreach (string line in report.Split('\n'))
                {
                    if (line.StartsWith("Error", StringComparison.Ordinal))
                    {
                        errors.Add($"{run.Setting}: {Path.GetRelativePath(run.OutDir, file)}: {line}");
                    }
                    else if (line.StartsWith("Warning", StringComparison.Ordinal))
                    {
                        warnings[line] = warnings.GetValueOrDefault(line) + 1;
                    }
                }
            }
        }

        output.WriteLine($"dciodvfy: {files} files of {fixture.Runs.Count} runs, {errors.Count} errors; warnings (count):");
        foreach ((string warning, int count) in warnings)
        {
            output.WriteLine($"  {count} × {warning}");
        }

        Assert.True(errors.Count == 0, string.Join('\n', errors));
    }

    [Fact]
    public void NoTwoDifferentObjects_ShareASopInstanceUid()
    {
        // A UID may only be shared by byte-identical files (a copy); every written object is compared with every other.
        var seen = new Dictionary<string, (string Path, string Hash)>(StringComparer.Ordinal);
        var clashes = new List<string>();
        foreach (WrittenRun run in fixture.Runs)
        {
            foreach (string file in run.Written)
            {
                string uid = DicomFile.Open(file).Dataset.GetRequiredString(DicomTags.SOPInstanceUID);
                string hash = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));
                if (seen.TryGetValue(uid, out var first) && first.Hash != hash)
                {
                    clashes.Add($"{uid}: {first.Path} and {file} ({run.Setting})");
                }

                seen.TryAdd(uid, (file, hash));
            }
        }

        Assert.True(seen.Count > 300, $"only {seen.Count} objects written");
        Assert.True(clashes.Count == 0, string.Join('\n', clashes));
    }

    [ToolFact("pydicom")]
    public void EveryReference_ResolvesAndEveryDoseIsZeroInAirWithTheReportedMaximum()
    {
        var problems = new List<string>();
        int doses = 0;
        foreach (WrittenRun run in fixture.Runs)
        {
            (int code, string stdout) = OutsideTools.Run(OutsideTools.Python, [Script, "--written", .. run.Written, "--context", .. run.Context]);
            Assert.True(code == 0, $"{run.Setting}: {stdout}");
            using JsonDocument doc = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]);
            problems.AddRange(doc.RootElement.GetProperty("problems").EnumerateArray().Select(p => $"{run.Setting}: {p.GetString()}"));
            foreach (JsonElement dose in doc.RootElement.GetProperty("doses").EnumerateArray())
            {
                doses++;
                problems.AddRange(DoseProblems(run, dose));
            }
        }

        output.WriteLine($"{fixture.Runs.Count} runs, {doses} RT Doses checked");
        Assert.True(doses >= 13, $"only {doses} RT Doses");
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    private static IEnumerable<string> DoseProblems(WrittenRun run, JsonElement dose)
    {
        string path = dose.GetProperty("path").GetString()!;
        double max = dose.GetProperty("maxGy").GetDouble(), step = dose.GetProperty("scalingGy").GetDouble();
        if (max <= 0)
        {
            yield return $"{run.Setting}: {path} holds no dose";
        }

        // The dose is on the CT grid in every run; a voxel of air (below −900 HU) holds none.
        if (dose.GetProperty("airMaxGy").ValueKind != JsonValueKind.Number)
        {
            yield return $"{run.Setting}: {path} is not on the CT grid";
        }
        else if (dose.GetProperty("airMaxGy").GetDouble() != 0)
        {
            yield return $"{run.Setting}: {path} has {dose.GetProperty("airMaxGy").GetDouble()} Gy in air";
        }

        // The pixels round the dose to the nearest step of Dose Grid Scaling.
        double ours = RtDoseReader.Read(path).MaxDose();
        if (Math.Abs(ours - max) > 1e-6 * max)
        {
            yield return $"{run.Setting}: {path}: our reader's maximum {ours} Gy, pydicom's {max} Gy";
        }

        if (run.ReportedMaxGy is double reported && Math.Abs(reported - max) > 0.51 * step)
        {
            yield return $"{run.Setting}: {path}: the file's maximum {max} Gy is not the reported {reported} Gy (step {step} Gy)";
        }
    }
}
