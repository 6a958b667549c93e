using System.CommandLine;
using System.Globalization;
using MeTAI.Planner.Evaluation;

namespace MeTAI.Cli.Commands.Planning;

/// <summary>
/// <c>metai dvh --rtstruct F --rtdose F [--roi A,B] [--json]</c>: DVH metrics of every ROI from the DICOM files alone
/// (contours rasterised on the dose grid).
/// </summary>
internal static class DvhCommand
{
    public static Command Create()
    {
        var rtstruct = new Option<FileInfo>("--rtstruct") { Description = "RT Structure Set file", Required = true };
        var rtdose = new Option<FileInfo>("--rtdose") { Description = "RT Dose file", Required = true };
        var rois = new Option<string>("--roi") { Description = "Only these ROIs, comma-separated", DefaultValueFactory = _ => string.Empty };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var command = new Command("dvh", "DVH metrics (volume, min/mean/max, D2, D5, D50, D95, D98) of the ROIs of an RTSTRUCT on an RTDOSE.") { rtstruct, rtdose, rois, json };
        command.SetAction(parse =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output, stderr = parse.InvocationConfiguration.Error;
            return CommandErrors.Guard(stderr, () =>
            {
                string[] names = CaseFiles.ParseNames(parse.GetValue(rois));
                IReadOnlyList<DicomDvh.RoiDvh> result = DicomDvh.Compute(parse.GetValue(rtstruct)!.FullName, parse.GetValue(rtdose)!.FullName, names);
                if (parse.GetValue(json))
                {
                    stdout.WriteLine(CliJson.Serialize(new
                    {
                        rois = result.Select(r => new Dictionary<string, object>
                        {
                            ["name"] = r.Name,
                            ["number"] = r.Number,
                            ["volumeCc"] = r.Metrics.VolumeCc,
                            ["minGy"] = r.Metrics.MinGy,
                            ["meanGy"] = r.Metrics.MeanGy,
                            ["maxGy"] = r.Metrics.MaxGy,
                            ["D2Gy"] = r.Metrics.D2Gy,
                            ["D5Gy"] = r.Metrics.D5Gy,
                            ["D50Gy"] = r.Metrics.D50Gy,
                            ["D95Gy"] = r.Metrics.D95Gy,
                            ["D98Gy"] = r.Metrics.D98Gy,
                        }),
                    }));
                    return 0;
                }

                stdout.WriteLine("roi                    volume_cc   min_Gy  mean_Gy   max_Gy    D2_Gy    D5_Gy   D50_Gy   D95_Gy   D98_Gy");
                foreach (DicomDvh.RoiDvh r in result)
                {
                    StructureMetrics m = r.Metrics;
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{r.Name,-20} {m.VolumeCc,11:0.00} {m.MinGy,8:0.000} {m.MeanGy,8:0.000} {m.MaxGy,8:0.000} {m.D2Gy,8:0.000} {m.D5Gy,8:0.000} {m.D50Gy,8:0.000} {m.D95Gy,8:0.000} {m.D98Gy,8:0.000}"));
                }

                return 0;
            });
        });
        return command;
    }
}
