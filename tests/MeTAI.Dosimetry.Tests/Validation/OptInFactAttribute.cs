namespace MeTAI.Dosimetry.Tests.Validation;

/// <summary>
/// A long test that runs only when <see cref="Variable"/> is set to 1 (CI runs the whole solution without a filter,
/// so Nightly and Calibration tests must opt in rather than rely on a trait filter).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class OptInFactAttribute : FactAttribute
{
    public OptInFactAttribute(string variable)
    {
        Variable = variable;
        if (Environment.GetEnvironmentVariable(variable) != "1")
        {
            Skip = $"long run: set {variable}=1 to run it";
        }
    }

    public string Variable { get; }
}
