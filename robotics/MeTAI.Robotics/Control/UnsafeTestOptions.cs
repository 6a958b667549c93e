using MeTAI.Robotics.Radiotherapy;
using MeTAI.Robotics.Safety;

namespace MeTAI.Robotics.Control;

/// <summary>
/// Switches that remove single safety functions, for the HIL harness's negative tests only: each bundled scenario is
/// run once more with the function under test removed, to prove that its assertions can fail. Internal on purpose —
/// visible to MeTAI.Hil and the test assemblies, never to the CLI or the service — and announced in the audit log with
/// an <c>unsafeTestOptions</c> record as soon as a controller is built with them.
/// </summary>
internal sealed class UnsafeTestOptions
{
    /// <summary>Interlock bits that are never raised (masked out of every cycle's evaluation).</summary>
    public Interlocks DisabledInterlocks { get; init; }

    /// <summary>Joint targets and commanded joints are not clamped to the joint limits.</summary>
    public bool SkipJointLimitClamp { get; init; }

    /// <summary>The corridor virtual fixture is not built: no restoring force, no projection, no corridor hold.</summary>
    public bool DisableCorridorFixture { get; init; }

    /// <summary>Beam-hold reasons the beam permit ignores.</summary>
    public BeamHoldReasons IgnoredBeamHoldReasons { get; init; }

    /// <summary>True when at least one switch is set.</summary>
    public bool Any => DisabledInterlocks != Interlocks.None || SkipJointLimitClamp || DisableCorridorFixture || IgnoredBeamHoldReasons != BeamHoldReasons.None;

    /// <inheritdoc />
    public override string ToString() =>
        $"disabledInterlocks={DisabledInterlocks}; skipJointLimitClamp={SkipJointLimitClamp}; disableCorridorFixture={DisableCorridorFixture}; ignoredBeamHoldReasons={IgnoredBeamHoldReasons}";
}
