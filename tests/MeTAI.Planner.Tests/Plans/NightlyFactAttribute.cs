namespace MeTAI.Planner.Tests.Plans;

/// <summary>A long test that runs only with METAI_NIGHTLY=1; otherwise it is reported as skipped, not as passed.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NightlyFactAttribute : FactAttribute
{
    public NightlyFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("METAI_NIGHTLY") != "1")
        {
            Skip = "long run: set METAI_NIGHTLY=1 to run it";
        }
    }
}
