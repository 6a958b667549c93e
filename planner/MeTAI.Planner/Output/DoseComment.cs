using System.Globalization;

namespace MeTAI.Planner.Output;

/// <summary>
/// The Dose Comment (3004,0006) of every RT Dose we write. It is LO, at most <see cref="MaxLength"/> characters, so it
/// says only what a reader of the file needs beside the dose — which calculation, the fractions a second check summed,
/// dose to water or to medium, denoised or not — from fixed words and bounded numbers, so that every setting fits;
/// the statistics (histories, uncertainty, time) are in summary.json and report.json.
/// </summary>
public static class DoseComment
{
    /// <summary>The most characters an LO value may have.</summary>
    public const int MaxLength = 64;

    /// <summary>A plan's final dose, e.g. "MeTAI MC plan, whole course, dose to medium, denoised".</summary>
    public static string Plan(bool denoised, bool doseToWater) => Build("plan, whole course", doseToWater, denoised);

    /// <summary>An open field on a phantom, e.g. "MeTAI MC open field, dose to water".</summary>
    public static string OpenField(bool doseToWater) => Build("open field", doseToWater, false);

    /// <summary>A second check of a plan over <paramref name="fractions"/> fractions, e.g. "MeTAI MC second check, 30 fx, dose to medium".</summary>
    public static string SecondCheck(int fractions, bool denoised, bool doseToWater) =>
        Build(string.Create(CultureInfo.InvariantCulture, $"second check, {fractions} fx"), doseToWater, denoised);

    private static string Build(string what, bool doseToWater, bool denoised)
    {
        string comment = $"MeTAI MC {what}, dose to {(doseToWater ? "water" : "medium")}{(denoised ? ", denoised" : string.Empty)}";
        // The longest, "MeTAI MC second check, -2147483648 fx, dose to medium, denoised", has 63 characters.
        return comment.Length <= MaxLength ? comment : throw new InvalidOperationException($"Dose Comment '{comment}' is longer than {MaxLength} characters.");
    }
}
