using System.CommandLine;
using System.Globalization;
using MeTAI.Core.Voxels;
using MeTAI.Dicom;
using MeTAI.Dicom.Cases;
using MeTAI.Dicom.Media;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Readers;

namespace MeTAI.Cli.Commands.DicomFiles;

/// <summary>
/// <c>metai dicom info &lt;file|dir&gt; [--json]</c>: what a DICOM file (RTPLAN, RTSTRUCT, RTDOSE, CT slice, anything
/// else) holds; for a folder (an export, our ct/ + rtstruct.dcm layout, a CT series) or a DICOMDIR, what it holds
/// grouped by patient → study → series (<see cref="CaseInventory"/>), which CT series and structure set a case would
/// use, and — when it is one CT series — the series' grid and HU range.
/// </summary>
internal static class DicomInfoCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("path") { Description = "A DICOM file; a folder (export, case, CT series) or a DICOMDIR" };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of text" };
        var command = new Command("info", "Summarise a DICOM file, or what a folder or DICOMDIR holds.") { path, json };
        command.SetAction(parse =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output;
            return CommandErrors.Guard(parse.InvocationConfiguration.Error, () =>
            {
                string target = parse.GetValue(path)!;
                if (Directory.Exists(target) || (File.Exists(target) && DicomDirectory.IsDicomDirectoryName(target)))
                {
                    CaseInventory inventory = CaseInventory.Scan(target);
                    Dictionary<string, object?> folder = DicomFolderInfo.Describe(inventory);
                    if (parse.GetValue(json))
                    {
                        stdout.WriteLine(CliJson.Serialize(folder));
                    }
                    else
                    {
                        stdout.Write(inventory.Describe());
                        WriteText(stdout, DicomFolderInfo.SeriesSummary(folder));
                        stdout.WriteLine(DicomFolderInfo.ChoiceText(folder));
                    }

                    return 0;
                }

                Dictionary<string, object?> info = Describe(target);
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

    /// <summary>A CT series' summary: series UID, slices, grid, HU range.</summary>
    internal static Dictionary<string, object?> Ct(CtSeries ct, string file)
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
