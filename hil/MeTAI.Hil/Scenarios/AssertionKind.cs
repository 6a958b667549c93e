namespace MeTAI.Hil.Scenarios;

/// <summary>The assertion vocabulary (docs/hil.md). Each evaluates over the recorded trace.</summary>
public enum AssertionKind
{
    /// <summary>After fault F the controller reaches one of `states` (with `interlock` raised) within `withinMs` of the controller's own input timestamp and `withinCycles` of detection.</summary>
    Reaction,

    /// <summary>After an e-stop press, torque off is written within `withinCycles` loop cycles of its arrival and seen on the bus within `busWithinMs`.</summary>
    TorqueOff,

    /// <summary>No goal position on the bus outside a joint's limits (+ `marginRad`), at any time.</summary>
    JointLimits,

    /// <summary>While the controller is in `states`, the goals on the bus do not change (after `graceFrames`).</summary>
    HoldStill,

    /// <summary>Every entry into Fault or EStop turns torque off on every servo, and torque stays off until the next power-up.</summary>
    LatchedTorqueOff,

    /// <summary>The measured tool stays within `toleranceMm` of the corridor wall (except during injected faults when `exceptDuringFaults`).</summary>
    Corridor,

    /// <summary>No goal on the bus moves a joint faster than its velocity limit (+ `marginRadS`): bad data is never acted on.</summary>
    GoalSteps,

    /// <summary>The beam is on only in Ready, at the planned pose, stationary, with the patient within tolerance (reaction `graceMs`).</summary>
    BeamOnlyWhen,

    /// <summary>After fault F (patient motion) the beam is off within `withinMs`, and (if `resumes`) on again afterwards.</summary>
    BeamHold,

    /// <summary>Every planned beam delivered its MU (± `muTolerance`).</summary>
    BeamsDelivered,

    /// <summary>The controller never enters any of `states`.</summary>
    NeverState,

    /// <summary>At scenario time `atS` the controller is in one of `states`.</summary>
    StateAt,

    /// <summary>At the end the controller is in one of `states`.</summary>
    FinalState,

    /// <summary>`interlock` was raised during the scenario.</summary>
    InterlockRaised,

    /// <summary>The master received a restoring force of at least `minN`.</summary>
    ForceFeedback,

    /// <summary>Haptic → servo latency p99 (controller's measurement) at most `p99Ms`.</summary>
    Latency,

    /// <summary>The controller counted at least `min` bad serial frames (and dropped them).</summary>
    CrcErrors,

    /// <summary>The audit log's hash chain verifies.</summary>
    AuditIntact,
}
