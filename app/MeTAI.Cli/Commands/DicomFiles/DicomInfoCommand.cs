using System.CommandLine;
using System.Globalization;
using MeTAI.Core.Voxels;
using MeTAI.Dicom;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Readers;

namespace MeTAI.Cli.Commands.DicomFiles;

/// <summary>
/// <c>metai dicom info &lt;file|dir&gt; [--json]</c>: what a DICOM file (RTPLAN, RTSTRUCT, RTDOSE, CT slice, anything
/// else) or a directory of CT slices holds.
/// </summary>
internal static class DicomInfoCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("path") { Description = "A DICOM file, or a directory holding a CT series" };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of text" };
        var command = new Command("info", "Summarise a DICOM file or a CT series directory.") { path, json };
        command.SetAction(parse =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output;
            return CommandErrors.Guard(parse.InvocationConfiguration.Error, () =>
            {
                Dictionary<string, object?> info = Describe(parse.GetValue(path)!);
                if (parse.GetValue(json))
                {
                    stdout.WriteLine(CliJson.Serialize(info));
                }
                else
                {
                    WriteText(stdout, info);
                }

                return 0;
            });
        });
        return command;
    }

    /// <summary>The summary as ordered name → value pairs (camelCase names, as the JSON shows them).</summary>
    internal static Dictionary<string, object?> Describe(string path)
    {
        if (Directory.Exists(path))
        {
            CtSeries ct = CtSeriesReader.Read(path);
            return Ct(ct, path);
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such file or directory.", path);
        }

        DicomFile file = DicomFile.Open(path);
        DicomDataset ds = file.Dataset;
        string sopClass = ds.GetString(DicomTags.SOPClassUID) ?? string.Empty;
        return sopClass switch
        {
            DicomUid.RTPlanStorage => Plan(RtPlanReader.FromDataset(ds, path), path),
            DicomUid.RTStructureSetStorage => StructureSet(RtStructureSetReader.FromDataset(ds, path), path),
            DicomUid.RTDoseStorage => Dose(RtDoseReader.FromFile(file, path), path),
            DicomUid.CTImageStorage => Ct(CtSeriesReader.FromFiles([(path, file)]), path),
            _ => Common(ds.GetString(DicomTags.Modality) ?? string.Empty, sopClass, path),
        };
    }

    private static Dictionary<string, object?> Common(string modality, string sopClassUid, string file) => new()
    {
        ["modality"] = modality,
        ["sopClassUid"] = sopClassUid,
        ["file"] = file,
    };

    private static Dictionary<string, object?> Plan(RtPlan plan, string file)
    {
        Dictionary<string, object?> info = Common("RTPLAN", DicomUid.RTPlanStorage, file);
        info["label"] = plan.Label;
        info["name"] = plan.Name;
        info["fractions"] = plan.FractionsPlanned;
        info["beams"] = plan.Beams.Select(b => new Dictionary<string, object?>
        {
            ["number"] = b.Number,
            ["name"] = b.Name,
            ["radiationType"] = b.RadiationType,
            ["energyMV"] = b.NominalEnergyMV,
            ["gantryDeg"] = b.GantryDeg,
            ["mu"] = plan.MetersetMu(b.Number),
        }).ToList();
        return info;
    }

    private static Dictionary<string, object?> StructureSet(RtStructureSet ss, string file)
    {
        Dictionary<string, object?> info = Common("RTSTRUCT", DicomUid.RTStructureSetStorage, file);
        info["label"] = ss.Label;
        info["rois"] = ss.Rois.Select(r => new Dictionary<string, object?>
        {
            ["number"] = r.Number,
            ["name"] = r.Name,
            ["type"] = r.InterpretedType,
            ["contours"] = r.Contours.Count,
        }).ToList();
        return info;
    }

    private static Dictionary<string, object?> Dose(RtDose dose, string file)
    {
        Dictionary<string, object?> info = Common("RTDOSE", DicomUid.RTDoseStorage, file);
        GridGeometry g = dose.Dose.Geometry;
        info["size"] = new[] { g.SizeX, g.SizeY, g.SizeZ };
        info["spacingMm"] = g.SpacingMm.ToArray();
        info["originLps"] = g.OriginLps.ToArray();
        info["doseUnits"] = dose.DoseUnits;
        info["doseType"] = dose.DoseType;
        info["doseSummationType"] = dose.DoseSummationType;
        // Through the float's shortest text, so 1.254f prints as 1.254 rather than 1.253999948501587.
        info["maxDose"] = double.Parse(dose.MaxDose().ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return info;
    }

    private static Dictionary<string, object?> Ct(CtSeries ct, string file)
    {
        Dictionary<string, object?> info = Common("CT", DicomUid.CTImageStorage, file);
        GridGeometry g = ct.Geometry;
        short min = short.MaxValue, max = short.MinValue;
        foreach (short v in ct.Hu.Data)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        info["seriesInstanceUid"] = ct.SeriesInstanceUid;
        info["slices"] = g.SizeZ;
        info["size"] = new[] { g.SizeX, g.SizeY, g.SizeZ };
        info["spacingMm"] = g.SpacingMm.ToArray();
        info["originLps"] = g.OriginLps.ToArray();
        info["huMin"] = (int)min;
        info["huMax"] = (int)max;
        return info;
    }

    private static void WriteText(TextWriter w, Dictionary<string, object?> info)
    {
        foreach ((string key, object? value) in info)
        {
            switch (value)
            {
                case List<Dictionary<string, object?>> rows:
                    w.WriteLine($"{key}: {rows.Count}");
                    foreach (Dictionary<string, object?> row in rows)
                    {
                        w.WriteLine("  " + string.Join(", ", row.Select(kv => $"{kv.Key} {Text(kv.Value)}")));
                    }

                    break;
                default:
                    w.WriteLine($"{key}: {Text(value)}");
                    break;
            }
        }
    }

    private static string Text(object? value) => value switch
    {
        null => "-",
        double d => d.ToString("0.###", CultureInfo.InvariantCulture),
        double[] a => "[" + string.Join(", ", a.Select(d => d.ToString("0.###", CultureInfo.InvariantCulture))) + "]",
        int[] a => "[" + string.Join(", ", a) + "]",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };
}
