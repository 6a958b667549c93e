using MeTAI.Planner.Output;

namespace MeTAI.Planner.Tests.Plans;

/// <summary>Text we fill in from settings fits its DICOM VR by design (dciodvfy checks the files in MeTAI.Cli.Tests).</summary>
public class OutputTextTests
{
    [Fact]
    public void DoseComment_EverySetting_FitsLo()
    {
        var comments = new List<string>();
        foreach (bool water in new[] { false, true })
        {
            foreach (bool denoised in new[] { false, true })
            {
                comments.Add(DoseComment.Plan(denoised, water));
                comments.Add(DoseComment.OpenField(water));
                comments.AddRange([.. new[] { 1, 30, int.MaxValue, int.MinValue }.Select(f => DoseComment.SecondCheck(f, denoised, water))]);
            }
        }

        Assert.All(comments, c => Assert.InRange(c.Length, 1, 64));
        Assert.Equal("MeTAI MC second check, 30 fx, dose to water, denoised", DoseComment.SecondCheck(30, true, true));
        Assert.Equal("MeTAI MC plan, whole course, dose to medium", DoseComment.Plan(false, false));
    }

    [Theory]
    [InlineData("prostate", "PROSTATE")]
    [InlineData("tg119-cshape", "TG119-CSHAPE")]
    [InlineData("", "METAI")]
    public void Label_ShortName_IsTheName(string name, string label)
    {
        Assert.Equal(label, RtPlanBuilder.Label(name));
    }

    [Fact]
    public void Label_LongNamesStartingAlike_ShortenedToDistinctLabels()
    {
        string a = RtPlanBuilder.Label("patient-0001-pelvis-2024-plan-a"), b = RtPlanBuilder.Label("patient-0001-pelvis-2024-plan-b");

        Assert.Equal(16, a.Length);
        Assert.Equal(16, b.Length);
        Assert.StartsWith("PATIENT-000-", a, StringComparison.Ordinal);
        Assert.NotEqual(a, b);
        Assert.Equal(a, RtPlanBuilder.Label("patient-0001-pelvis-2024-plan-a"));
    }
}
