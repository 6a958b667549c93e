using MeTAI.Robotics.Control;
using MeTAI.Robotics.Radiotherapy;
using MeTAI.Robotics.Safety;

namespace MeTAI.Hil.Runner;

/// <summary>
/// The safety function a negative run removes, by name, as the bundled scenarios' negative tests list them: <c>fixture</c>
/// (the corridor fixture), <c>clamp</c> (the joint-limit clamp), <c>patient</c> (the beam hold on patient motion), an
/// interlock's name (never raised), or <c>fixture+</c> an interlock's name (both). Internal, like
/// <see cref="UnsafeTestOptions"/>: for the test assemblies only.
/// </summary>
internal static class SafetyFunctionRemoval
{
    /// <summary><paramref name="options"/> for a negative run: the controller is built without <paramref name="removed"/>.</summary>
    /// <exception cref="ArgumentException">Not one of the names above.</exception>
    public static ScenarioRunOptions WithoutSafetyFunction(this ScenarioRunOptions options, string removed)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options with { Unsafe = Options(removed) };
    }

    // The controller's test switches that remove `removed`.
    private static UnsafeTestOptions Options(string removed)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(removed);
        return removed switch
        {
            "fixture" => new UnsafeTestOptions { DisableCorridorFixture = true },
            "clamp" => new UnsafeTestOptions { SkipJointLimitClamp = true },
            "patient" => new UnsafeTestOptions { IgnoredBeamHoldReasons = BeamHoldReasons.PatientMotion },
            _ when removed.StartsWith("fixture+", StringComparison.Ordinal) => new UnsafeTestOptions
            {
                DisableCorridorFixture = true,
                DisabledInterlocks = Enum.Parse<Interlocks>(removed["fixture+".Length..]),
            },
            _ => new UnsafeTestOptions { DisabledInterlocks = Enum.Parse<Interlocks>(removed) },
        };
    }
}
