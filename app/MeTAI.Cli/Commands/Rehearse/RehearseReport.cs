using System.Globalization;
using MeTAI.Rehearsal.Avatar;

namespace MeTAI.Cli.Commands.Rehearse;

/// <summary>The avatar lines of <c>metai rehearse</c>: what each ROI became, the HU tissues, the mesh's quality and fit.</summary>
internal static class RehearseReport
{
    public static void Avatar(TextWriter stdout, PatientAvatar avatar, string configPath)
    {
        stdout.WriteLine($"avatar config {configPath}");
        if (avatar.Assignment is { } a)
        {
            foreach (RoiTissue r in a.Rois)
            {
                stdout.WriteLine($"  ROI '{r.Roi}' ({(r.InterpretedType.Length > 0 ? r.InterpretedType : "no type")}) -> {r.Tissue ?? "no tissue"} ({r.How})");
            }

            foreach ((string mask, long voxels) in a.HuVoxels)
            {
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {mask}: {voxels} body voxels outside the tissue ROIs"));
            }

            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  body tissue ({avatar.Config.Structures[0].Tissue}): {a.BodyTissueVoxels} body voxels in no HU range and no tissue ROI"));
        }

        MeshQuality q = avatar.Mesh.MeasureQuality();
        MeshConformity c = avatar.Mesh.Conformity;
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"mesh quality: min dihedral {q.MinDihedralDeg:0.0} deg (limit {MeshQuality.MinDihedralLimitDeg:0}), max dihedral {q.MaxDihedralDeg:0.0} deg, max aspect ratio {q.MaxAspectRatio:0.00} (limit {MeshQuality.MaxAspectRatioLimit:0}), inverted tets {q.InvertedTets}"));
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"mesh fit: {c.SkinOnSurface} of {c.SkinNodes} skin nodes on the body surface, {c.InterfaceOnSurface} of {c.InterfaceNodes} tissue-interface nodes on the organ surfaces, {c.RepairedNodes} nodes repaired"));
    }
}
