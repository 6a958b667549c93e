using System.CommandLine;
using System.Globalization;
using MeTAI.Core.Phantoms;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Writers;

namespace MeTAI.Cli.Commands.Planning;

/// <summary><c>metai phantom &lt;name&gt; --voxel &lt;mm&gt; --out &lt;dir&gt;</c>: write a built-in phantom as DICOM (ct/ and rtstruct.dcm).</summary>
internal static class PhantomCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "Phantom: " + string.Join(", ", PhantomLibrary.Names) };
        var voxel = new Option<double>("--voxel") { Description = "Voxel edge in mm", DefaultValueFactory = _ => 3.0 };
        var outDir = new Option<string?>("--out") { Description = "Output directory (default out/phantom-<name>)" };
        var command = new Command("phantom", "Write a built-in phantom as a CT series (ct/) and an RT structure set (rtstruct.dcm).") { name, voxel, outDir };
        command.SetAction(parse =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output;
            return CommandErrors.Guard(parse.InvocationConfiguration.Error, () =>
            {
                string phantomName = parse.GetValue(name)!;
                double voxelMm = parse.GetValue(voxel);
                if (!PhantomLibrary.Names.Contains(phantomName, StringComparer.OrdinalIgnoreCase))
                {
                    throw new ArgumentException($"unknown phantom '{phantomName}'; valid names: {string.Join(", ", PhantomLibrary.Names)}");
                }

                if (!(voxelMm >= PhantomLibrary.MinVoxelMm && voxelMm <= PhantomLibrary.MaxVoxelMm))
                {
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"--voxel {voxelMm} mm is out of range; use {PhantomLibrary.MinVoxelMm}–{PhantomLibrary.MaxVoxelMm} mm"));
                }

                Phantom phantom = PhantomLibrary.Build(phantomName, voxelMm);
                string dir = parse.GetValue(outDir) ?? Path.Combine("out", "phantom-" + phantom.Name);
                RtStudy study = RtPhantom.Write(phantom, dir);
                var g = phantom.Geometry;
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{phantom.Name}: {g.SizeX}×{g.SizeY}×{g.SizeZ} voxels of {g.SpacingMm.X:0.###} mm, {study.StructureSet!.Rois.Count} ROIs → {Path.Combine(dir, RtStudyWriter.CtDirectory)}/ ({g.SizeZ} slices), {Path.Combine(dir, RtStudyWriter.StructureSetFile)}"));
                return 0;
            });
        });
        return command;
    }
}
