using System.CommandLine;
using System.Globalization;
using MeTAI.Core.Phantoms;
using MeTAI.Core.Voxels;
using MeTAI.Dicom.Rt;

namespace MeTAI.Cli.Commands;

/// <summary>
/// <c>metai demo [--out DIR]</c>: the end-to-end story on embedded defaults. For now: build the prostate phantom at
/// 3 mm, write it as DICOM (ct/ + rtstruct.dcm), read it back and compare the ROI volumes.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var outOption = new Option<DirectoryInfo>("--out") { Description = "Output directory", DefaultValueFactory = _ => new DirectoryInfo("out/demo") };
        var command = new Command("demo", "Run the end-to-end demo on built-in data.") { outOption };
        command.SetAction(parse =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output;
            return CommandErrors.Guard(parse.InvocationConfiguration.Error, () =>
            {
                string dir = parse.GetValue(outOption)!.FullName;
                Phantom phantom = PhantomLibrary.Build("prostate", 3);
                RtPhantom.Write(phantom, dir);
                RtStudy read = RtStudyReader.Read(dir);
                GridGeometry g = read.Ct.Geometry;
                IReadOnlyList<string> problems = read.CheckReferences();
                var inv = CultureInfo.InvariantCulture;
                stdout.WriteLine($"demo: prostate phantom written as DICOM under {dir}");
                stdout.WriteLine(string.Create(inv, $"CT: {g.SizeZ} slices, grid {g.SizeX}×{g.SizeY}×{g.SizeZ}, spacing {g.SpacingMm.X:0.###}×{g.SpacingMm.Y:0.###}×{g.SpacingMm.Z:0.###} mm, origin {g.OriginLps} LPS mm"));
                stdout.WriteLine($"references: {(problems.Count == 0 ? "consistent (RTSTRUCT → CT slices, one frame of reference)" : string.Join("; ", problems))}");
                stdout.WriteLine("ROI                 type        phantom cc   read-back cc");
                bool allMatch = true;
                foreach (PhantomStructure s in phantom.Structures)
                {
                    RtRoi roi = read.StructureSet!.FindRoi(s.Name) ?? throw new InvalidOperationException($"ROI '{s.Name}' missing after read-back.");
                    double back = read.StructureSet.ToMask(roi, g).VolumeCc;
                    allMatch &= Math.Abs(back - s.VolumeCc) < 1e-9;
                    stdout.WriteLine(string.Create(inv, $"{s.Name,-19} {roi.InterpretedType,-10} {s.VolumeCc,11:F3} {back,14:F3}"));
                }

                stdout.WriteLine(allMatch ? "read-back masks: identical volumes" : "read-back masks: volumes differ");
                return problems.Count == 0 && allMatch ? 0 : 1;
            });
        });
        return command;
    }
}
