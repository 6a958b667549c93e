using System.CommandLine;
using System.Globalization;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Readers;
using MeTAI.Planner.Evaluation;

namespace MeTAI.Cli.Commands.Planning;

/// <summary>
/// <c>metai gamma --reference F --evaluated F --dose 3 --dta 3 [--local] [--threshold 10] [--json]</c>: 3D gamma index
/// between two RTDOSE files (conventions of plastimatch gamma; docs/planning.md).
/// </summary>
internal static class GammaCommand
{
    public static Command Create()
    {
        var reference = new Option<FileInfo>("--reference") { Description = "Reference RT Dose", Required = true };
        var evaluated = new Option<FileInfo>("--evaluated") { Description = "Evaluated RT Dose (resampled onto the reference grid)", Required = true };
        var dose = new Option<double>("--dose") { Description = "Dose-difference criterion, percent", DefaultValueFactory = _ => 3 };
        var dta = new Option<double>("--dta") { Description = "Distance to agreement, mm", DefaultValueFactory = _ => 3 };
        var local = new Option<bool>("--local") { Description = "Local gamma (dose difference relative to the local reference dose)" };
        var threshold = new Option<double>("--threshold") { Description = "Low-dose threshold, percent of the reference dose", DefaultValueFactory = _ => 10 };
        var referenceDose = new Option<double?>("--reference-dose") { Description = "Reference dose for the global criterion, Gy (default: reference maximum)" };
        var subdivisions = new Option<int>("--subdivisions") { Description = "Search points per voxel spacing (1: voxel centres, as plastimatch; 3: DTA/3-style interpolated search)", DefaultValueFactory = _ => 1 };
        var gammaMax = new Option<double>("--gamma-max") { Description = "Largest gamma computed (search radius = gamma-max × DTA)", DefaultValueFactory = _ => 2 };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var command = new Command("gamma", "3D gamma index between two RT Dose files.") { reference, evaluated, dose, dta, local, threshold, referenceDose, subdivisions, gammaMax, json };
        command.SetAction(parse =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output, stderr = parse.InvocationConfiguration.Error;
            return CommandErrors.Guard(stderr, () =>
            {
                RtDose a = RtDoseReader.Read(parse.GetValue(reference)!.FullName);
                RtDose b = RtDoseReader.Read(parse.GetValue(evaluated)!.FullName);
                var options = new GammaOptions
                {
                    DoseTolerance = parse.GetValue(dose) / 100,
                    DtaMm = parse.GetValue(dta),
                    Local = parse.GetValue(local),
                    ThresholdFraction = parse.GetValue(threshold) / 100,
                    ReferenceDoseGy = parse.GetValue(referenceDose),
                    Subdivisions = parse.GetValue(subdivisions),
                    GammaMax = parse.GetValue(gammaMax),
                };
                GammaResult r = GammaIndex.Compute(a.Dose, b.Dose, options);
                if (parse.GetValue(json))
                {
                    stdout.WriteLine(CliJson.Serialize(new
                    {
                        passRate = 100 * r.PassRate,
                        analysedVoxels = r.AnalysedVoxels,
                        passedVoxels = r.PassedVoxels,
                        meanGamma = r.MeanGamma,
                        referenceDoseGy = r.ReferenceDoseGy,
                        doseTolerancePercent = 100 * options.DoseTolerance,
                        dtaMm = options.DtaMm,
                        local = options.Local,
                        thresholdPercent = 100 * options.ThresholdFraction,
                        subdivisions = options.Subdivisions,
                    }));
                    return 0;
                }

                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"gamma {100 * options.DoseTolerance:0.##} %/{options.DtaMm:0.##} mm {(options.Local ? "local" : "global")} (threshold {100 * options.ThresholdFraction:0.#} % of {r.ReferenceDoseGy:0.###} Gy): pass rate {100 * r.PassRate:0.00} % ({r.PassedVoxels}/{r.AnalysedVoxels} voxels), mean gamma {r.MeanGamma:0.000}"));
                return 0;
            });
        });
        return command;
    }
}
