using MeTAI.Core.Geometry;
using MeTAI.Core.Phantoms;
using MeTAI.Rehearsal.Avatar;
using MeTAI.Rehearsal.Cases;

namespace MeTAI.Rehearsal.Tests.Avatar;

/// <summary>
/// The avatar of a case from its ROIs and CT (<see cref="AvatarBuilder.FromCase"/>, <c>configs/avatars/ct-abdomen.json</c>):
/// tissues by interpreted type and name, the rest by HU; refusals of what the rules cannot decide; the entry point's
/// ROI-name check; the quality limits on the shipped liver-needle avatar.
/// </summary>
public class CaseAvatarTests
{
    private static readonly Lazy<AvatarConfig> CtAbdomen = new(() => AvatarConfigLoader.Load(Path.Combine(Repo.Root, "configs", "avatars", "ct-abdomen.json")));

    /// <summary>The liver-needle phantom as a case whose ROIs carry the types a contouring system writes.</summary>
    private static RehearsalCase LiverCase(string externalType = "EXTERNAL")
    {
        Phantom p = AvatarBuilderTests.Liver.Value;
        AvatarRoi[] rois = [.. p.Structures.Select(s => new AvatarRoi(s.Mask, s.Kind == StructureKind.External ? externalType : s.Name == "Tumor" ? "GTV" : "ORGAN"))];
        return new RehearsalCase("liver-ct", rois, p.CtHu, p.LandmarksLps, PatientPosition.HeadFirstSupine);
    }

    [Fact]
    public void FromCase_CtAbdomenRules_RoisByTypeAndNameBodyByHu()
    {
        PatientAvatar avatar = CaseRehearsal.BuildAvatar(LiverCase(), CtAbdomen.Value, new RehearsalRequest { Target = "Tumor", Avoid = ["Vessel"], CellMm = 20 });
        TissueAssignment a = Assert.IsType<TissueAssignment>(avatar.Assignment);
        Dictionary<string, string?> tissueOf = a.Rois.ToDictionary(r => r.Roi, r => r.Tissue);
        Assert.Equal("soft-tissue", tissueOf["External"]);
        Assert.Equal("liver", tissueOf["Liver"]);
        Assert.Equal("tumour", tissueOf["Tumor"]);
        Assert.Equal("vessel-wall", tissueOf["Vessel"]);
        Assert.Equal("bone", tissueOf["Ribs"]);

        // Painting order: body, the HU tissues, then the ROIs in rule order.
        Assert.Equal(["External", "HU:fat", "HU:muscle", "HU:bone", "Liver", "Tumor", "Vessel", "Ribs"], avatar.Config.Structures.Select(s => s.Roi));
        Assert.Contains(a.HuVoxels, kv => kv.Key == "HU:muscle" && kv.Value > 0);
        Assert.Contains((byte)CtAbdomen.Value.TissueIndex("liver"), avatar.Mesh.TetTissue);
        Assert.True(avatar.Mesh.MeasureQuality().WithinLimits, avatar.Mesh.MeasureQuality().ToString());
    }

    [Fact]
    public void FromCase_NoRoiMatchesTheBodyRule_RefusedListingTheRois()
    {
        var ex = Assert.Throws<ArgumentException>(() => CaseRehearsal.BuildAvatar(LiverCase("ORGAN") with
        {
            Rois = [.. LiverCase("ORGAN").Rois.Select(r => r.Mask.Name == "External" ? r with { Mask = r.Mask.Clone("Patient") } : r)],
        }, CtAbdomen.Value, new RehearsalRequest { Target = "Tumor" }));
        Assert.Contains("no ROI matches the body outline rule (type EXTERNAL or name contains 'body'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'Patient' (ORGAN)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckRois_UnknownTargetOrAvoid_RefusedWithTheRoisPresent()
    {
        var ex = Assert.Throws<KeyNotFoundException>(() => CaseRehearsal.CheckRois(LiverCase(), new RehearsalRequest { Target = "Tumor", Avoid = ["Vessel", "Aorta"] }));
        Assert.Equal("Case 'liver-ct' has no ROI 'Aorta' (to avoid); its ROIs: 'External', 'Liver', 'Tumor', 'Vessel', 'Ribs'.", ex.Message);
        Assert.Throws<ArgumentException>(() => CaseRehearsal.CheckRois(LiverCase(), new RehearsalRequest { Target = "Tumor", Avoid = ["tumor"] }));
    }

    [Theory]
    [InlineData("\"minHu\": -29", "\"minHu\": -40", "huTissues[1] (-40 … 150 HU) overlaps huTissues[0] (-190 … -30 HU)")]
    [InlineData("\"body\": true,", "", "roiRules must have exactly one rule with \"body\": true")]
    [InlineData("\"tissue\": \"fat\",", "\"tissue\": \"lard\",", "huTissues[0].tissue 'lard' is not one of the tissues")]
    [InlineData("\"source\": \"-190", "\"sourceX\": \"-190", "missing field 'huTissues[0].source'")]
    public void Parse_InvalidRulesOrRanges_NamesTheField(string find, string replace, string expected)
    {
        string path = Path.Combine(Repo.Root, "configs", "avatars", "ct-abdomen.json");
        string json = File.ReadAllText(path);
        Assert.Contains(find, json, StringComparison.Ordinal);
        var ex = Assert.Throws<FormatException>(() => AvatarConfigLoader.Parse(json.Replace(find, replace, StringComparison.Ordinal), "x.json"));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("x.json: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LiverNeedle_ShippedResolution_WithinTheQualityLimits()
    {
        PatientAvatar avatar = AvatarBuilder.FromPhantom(AvatarBuilderTests.Liver.Value, AvatarBuilderTests.Config.Value);
        MeshQuality q = avatar.Mesh.MeasureQuality();
        Assert.Equal(0, q.InvertedTets);
        Assert.True(q.MinDihedralDeg >= MeshQuality.MinDihedralLimitDeg, q.ToString());
        Assert.True(q.MaxAspectRatio <= MeshQuality.MaxAspectRatioLimit, q.ToString());
        MeshConformity c = avatar.Mesh.Conformity;
        Assert.True(c.Snapped);
        Assert.True(c.SkinOnSurface >= 0.8 * c.SkinNodes && c.InterfaceOnSurface >= 0.7 * c.InterfaceNodes, c.ToString());
    }
}
