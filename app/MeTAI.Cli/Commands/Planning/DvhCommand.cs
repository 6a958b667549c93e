using System.CommandLine;
using System.Globalization;
using MeTAI.Dicom.Cases;
using MeTAI.Planner.Evaluation;

namespace MeTAI.Cli.Commands.Planning;

/// <summary>
/// <c>metai dvh --rtstruct F --rtdose F [--roi A,B] [--json] [--allow-partial] [--allow-inconsistent]</c>: DVH metrics
/// of every ROI from the DICOM files alone (contours rasterised on the dose grid), with the share of each ROI the dose
/// grid covers. Refused: an RTDOSE of another patient, study or frame of reference, and ROIs the grid covers less than
/// 99 % (each flag turns its refusal into a warning on stderr and in the output). A RELATIVE dose is reported as
/// relative (columns and JSON fields without Gy), never as Gy.
/// </summary>
internal static class DvhCommand
{
    public static Command Create()
    {
        var rtstruct = new Option<FileInfo>("--rtstruct") { Description = "RT Structure Set file", Required = true };
        var rtdose = new Option<FileInfo>("--rtdose") { Description = "RT Dose file", Required = true };
        var rois = new Option<string>("--roi") { Description = "Only these ROIs, comma-separated", DefaultValueFactory = _ => string.Empty };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var partial = new Option<bool>("--allow-partial") { Description = "Report ROIs the dose grid covers less than 99 % (with a warning) instead of refusing" };
        var inconsistent = new Option<bool>("--allow-inconsistent") { Description = "Accept an RTDOSE of another patient, study or frame of reference (phantom work; a warning)" };
        var command = new Command("dvh", "DVH metrics (volume, coverage, min/mean/max, D2, D5, D50, D95, D98) of the ROIs of an RTSTRUCT on an RTDOSE.")
        {
            rtstruct, rtdose, rois, json, partial, inconsistent,
        };
        command.SetAction(parse =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output, stderr = parse.InvocationConfiguration.Error;
            return CommandErrors.Guard(stderr, () =>
            {
                string[] names = CaseFiles.ParseNames(parse.GetValue(rois));
                var options = new DicomDvhOptions
                {
                    AllowPartial = parse.GetValue(partial),
                    Consistency = new CaseLoadOptions { AllowInconsistent = parse.GetValue(inconsistent) },
                };
                DicomDvhReport report = DicomDvh.Evaluate(parse.GetValue(rtstruct)!.FullName, parse.GetValue(rtdose)!.FullName, names, options, stderr);
                if (parse.GetValue(json))
                {
                    stdout.WriteLine(CliJson.Serialize(new
                    {
                        doseUnits = report.IsRelative ? "relative" : "Gy",
                        doseType = report.DoseType,
                        rois = report.Rois.Select(r => Row(r, report.IsRelative)),
                        warnings = report.Warnings,
                    }));
                    return 0;
                }

                WriteText(stdout, report);
                return 0;
            });
        });
        return command;
    }

    /// <summary>A ROI's JSON fields: the Gy names for GY doses (the contract), the same names without "Gy" for relative ones.</summary>
    private static Dictionary<string, object> Row(DicomDvh.RoiDvh r, bool relative)
    {
        string u = relative ? string.Empty : "Gy";
        StructureMetrics m = r.Metrics;
        return new Dictionary<string, object>
        {
            ["name"] = r.Name,
            ["number"] = r.Number,
            ["volumeCc"] = m.VolumeCc,
            ["coveragePercent"] = Math.Round(r.CoveragePercent, 2),
            ["min" + u] = m.MinGy,
            ["mean" + u] = m.MeanGy,
            ["max" + u] = m.MaxGy,
            ["D2" + u] = m.D2Gy,
            ["D5" + u] = m.D5Gy,
            ["D50" + u] = m.D50Gy,
            ["D95" + u] = m.D95Gy,
            ["D98" + u] = m.D98Gy,
        };
    }

    private static void WriteText(TextWriter stdout, DicomDvhReport report)
    {
        string u = report.IsRelative ? "rel" : "Gy";
        if (report.IsRelative)
        {
            stdout.WriteLine("dose units RELATIVE (3004,0002): values are relative to the dose's own reference, not Gy");
        }

        stdout.WriteLine($"roi                    volume_cc  cover_%   min_{u}  mean_{u}   max_{u}    D2_{u}    D5_{u}   D50_{u}   D95_{u}   D98_{u}");
        foreach (DicomDvh.RoiDvh r in report.Rois)
        {
            StructureMetrics m = r.Metrics;
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Name,-20} {m.VolumeCc,11:0.00} {r.CoveragePercent,8:0.0} {m.MinGy,8:0.000} {m.MeanGy,8:0.000} {m.MaxGy,8:0.000} {m.D2Gy,8:0.000} {m.D5Gy,8:0.000} {m.D50Gy,8:0.000} {m.D95Gy,8:0.000} {m.D98Gy,8:0.000}"));
        }

        foreach (string w in report.Warnings)
        {
            stdout.WriteLine("warning: " + w);
        }
    }
}
