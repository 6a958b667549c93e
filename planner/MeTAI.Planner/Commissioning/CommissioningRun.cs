using System.Globalization;
using System.Text.Json;
using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Commissioning;
using MeTAI.Dosimetry.Engines;

namespace MeTAI.Planner.Commissioning;

/// <summary>
/// <c>metai commission</c>: reads every tank-data file of a folder, fits the base beam model's source parameters
/// (<see cref="Commissioner"/>), writes the fitted beam JSON (atomically; loaded back through
/// <see cref="BeamModel.Load"/> to prove it valid) and the report next to it (<see cref="CommissioningReport"/>).
/// The base model decides what can be fitted: a point-source file (the schema of <c>6MV-mohan.json</c>) fits its
/// spectrum energy scale; a file with a <c>virtualSource</c> block is refused here until the virtual-source adapter
/// exists (docs/commissioning.md), rather than fitted as if it were a point source.
/// </summary>
public static class CommissioningRun
{
    /// <summary>Runs the commissioning; returns the result and the report's Markdown path.</summary>
    public static (CommissioningResult Result, string ReportPath) Run(string beamDataDirectory, string basePath, string outPath, CommissioningOptions options,
        double voxelMm = 5, DeviceKind device = DeviceKind.Auto, TextWriter? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!outPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"--out {outPath}: the beam model is a .json file.");
        }

        if (Path.GetFullPath(outPath) == Path.GetFullPath(basePath))
        {
            throw new ArgumentException($"--out {outPath} is the base file; write the commissioned model to a new file.");
        }

        RefuseVirtualSource(basePath);
        BeamDataSet data = BeamDataSet.Load(beamDataDirectory);
        using var model = new PointSourceCommissioningModel(basePath, voxelMm, device);
        CommissioningResult result = new Commissioner(model, data, options, log).Run();
        string report = CommissioningReport.Write(result, outPath, beamDataDirectory, options.Comparison);
        var provenance = new CommissioningProvenance
        {
            BeamDataDirectory = beamDataDirectory,
            ReportPath = report,
            Histories = options.Histories,
            Fitted = result.Parameters.Select((p, i) => (p.Name, result.Values[i])).ToDictionary(x => x.Name, x => x.Item2),
            Stages = result.Stages,
            ReferenceDosePerFluence = result.ReferenceDosePerFluence,
            ReferenceRelativeUncertainty = result.ReferenceRelativeUncertainty,
            DateUtc = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
        string? parent = Path.GetDirectoryName(Path.GetFullPath(outPath));
        Directory.CreateDirectory(parent!);
        model.WriteBeamFile(result.Values, outPath, provenance);
        BeamModel.Load(outPath);
        log?.WriteLine($"wrote {outPath} and {report}");
        return (result, report);
    }

    private static void RefuseVirtualSource(string basePath)
    {
        using JsonDocument doc = JsonDocument.Parse(File.Exists(basePath) ? File.ReadAllText(basePath) : "{}");
        if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("virtualSource", out _))
        {
            throw new ArgumentException($"--base {basePath}: field 'virtualSource': this build fits point-source models only (spectrum energy scale); the virtual-source parameters are not fitted yet, so the file is refused rather than commissioned as a point source.");
        }
    }
}
