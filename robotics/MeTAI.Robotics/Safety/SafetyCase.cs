using System.Globalization;
using MeTAI.Robotics.Control;
using MeTAI.Robotics.ServoBus;

namespace MeTAI.Robotics.Safety;

/// <summary>
/// The safety case of the controller as data (docs/safety-case.md is generated from it, <see cref="SafetyCaseDocs"/>):
/// the hazards of robotically assisted motion, the measures that control each, and each interlock's worst-case
/// detection-and-reaction budget computed from the shipped defaults. A test checks that every interlock controls some
/// hazard and that every test and scenario named as evidence exists.
/// </summary>
public static class SafetyCase
{
    private const string R = "Robotics.Tests/";
    private const string S = "Simulation.Tests/";
    private const string H = "Hil.Tests/";
    private const string C = "Cli.Tests/";

    /// <summary>The hazards, H1…H5.</summary>
    public static IReadOnlyList<Hazard> Hazards { get; } =
    [
        new("H1", "Unintended motion",
            "a command source stops, repeats or lies (master pose stream stalls with its heartbeat alive, broker lost, operator lets go) or the arm runs away from its goal (servo fault, stale feedback), and the arm keeps moving",
            "tissue laceration or puncture; staff struck by the arm",
            "ISO 14971 5.4, 7.1–7.2; IEC 80601-2-77 201.9.2.3.1 (unintended movement, IEC 60601-1 9.2.3.1) and 201.12.4.4 (incorrect output); IEC 60601-1 13.2 (single fault condition)",
            [
                new("hold-to-run: every motion needs the operator-present (deadman) bit carried in the master's poses", RiskControlKind.InherentDesign, Interlocks.DeadmanReleased,
                    [R + "ControlCoreTests.DeadmanReleased_WhileFollowing_HoldsAndStopsMotion", H + "ReactionJudgeTests.DeadmanRelease_SeenButNeverActedOn_IsAViolation"], ["deadman-release"]),
                new("one path to the servos: the gate writes goals only in a motion state with no interlock active", RiskControlKind.InherentDesign, Interlocks.None,
                    [R + "ServoCommandGatePropertyTests.SeededSequences_ReachMotion_AndNeverViolate", R + "SafetySupervisorTableTests.MotionGuards_AnyInterlockActive_Refused"], []),
                new("haptic heartbeat watchdog", RiskControlKind.ProtectiveMeasure, Interlocks.HapticHeartbeat,
                    [R + "InterlockEvaluatorTests.Evaluate_HeartbeatOlderThanTheWatchdog_RaisesHeartbeatAndRecordsTheLoss", S + "InterlocksOverRealTransportsTests.HeartbeatLoss_HoldsWithinWatchdogPlusTwoCycles"], ["heartbeat-loss"]),
                new("master pose staleness watchdog (sequence numbers and age, whatever the heartbeat says)", RiskControlKind.ProtectiveMeasure, Interlocks.MasterPoseStale,
                    [R + "ControlCoreTests.PosesStopWithTheHeartbeatAlive_WhileFollowing_HoldsWithinThePoseWatchdogPlusTwoCycles", R + "ControlCoreTests.RepeatedPoseSequence_WithTheHeartbeatAlive_IsStaleAndHolds"], []),
                new("broker connection loss holds", RiskControlKind.ProtectiveMeasure, Interlocks.BrokerConnection,
                    [R + "InterlockEvaluatorTests.Evaluate_BrokerDownAndNoOperator_RaiseTheirHolds", S + "InterlocksOverRealTransportsTests.BrokerLoss_Holds"], ["broker-restart"]),
                new("servo feedback staleness: no complete reading within the servo timeout faults with torque off", RiskControlKind.ProtectiveMeasure, Interlocks.ServoBus,
                    [R + "InterlockEvaluatorTests.Evaluate_ReadingOlderThanTheServoTimeout_RaisesServoBus", S + "ServoFaultTests.SilentBus_ServoBusFault",
                        S + "WireFaultTests.RogueTalkerHalfTheTime_SomeTransactionsFailNoneIsActedOnGarbled", S + "WireFaultTests.OneServoAtAnotherBaudRate_IsSilentToTheControllerAndObeysNothing"], ["servo-timeout", "serial-corruption-storm", "bus-collision"]),
                new("tracking error: a reading far from every goal that may have driven it faults with torque off", RiskControlKind.ProtectiveMeasure, Interlocks.TrackingError,
                    [R + "InterlockEvaluatorTests.Evaluate_ReadingFarFromEveryGoalInItsWindow_RaisesTrackingErrorWithTheJoint", S + "InterlocksOverRealTransportsTests.TrackingError_StuckJoint_FaultsAndTurnsTorqueOff"], ["stuck-joint"]),
                new("servo-side bus watchdog (100 ms): a servo whose controller falls silent stops by itself", RiskControlKind.ProtectiveMeasure, Interlocks.None,
                    [S + "ServoFaultTests.ControllerGoesSilent_ServosTripTheirBusWatchdogAndStop"], []),
                new("replies with a bad CRC are dropped and never acted on (the e-manual's CRC-16)", RiskControlKind.InherentDesign, Interlocks.None,
                    [R + "DynamixelPacketTests.FrameReader_EveryFlippedBit_IsRejectedNeverDelivered", R + "DynamixelPacketTests.FrameReader_RandomNoise_NeverDeliversAFrame",
                        S + "Protocol2CrossCheckTests.RandomStreamsWithNoiseAndBitFlips_BothDecodersTakeTheSamePackets"], []),
                new("one writer on the half-duplex bus: no packet is written while a servo may be replying (a collision garbles both)", RiskControlKind.InherentDesign, Interlocks.None,
                    [S + "WireCollisionTests.InstructionInsideAReplysWireWindow_BothAreLost", S + "WireCollisionTests.MasterWaitsForTheReplyToEnd_NoCollision"], []),
            ],
            ["HeartbeatStop", "PosesStop", "DeadmanRelease", "BrokerRestart", "ClientDisconnect", "MqttLoss", "MqttLatency", "ServoSilent", "ServoFeedbackStale", "BusSilent", "SerialCorrupt", "SerialCorruptStorm", "SerialDrop", "SerialDelay", "StuckJoint", "EncoderNoise", "BusCollision", "BaudMismatch", "RelayFeedStopped"]),
        new("H2", "Excessive force or travel",
            "a target beyond a joint's range, a burst of goals after a stall, a jammed or overloaded joint, or a joint driven faster than its limit",
            "crushing or tearing of tissue; damage to the arm or instrument",
            "ISO 14971 7.1; IEC 80601-2-77 201.9.2.3.2 (overtravel, IEC 60601-1 9.2.3.2) and 201.9.2.2 (trapping zones); IEC 60601-1 9.8 (support systems)",
            [
                new("targets and commanded joints are clamped to the joint limits; no goal outside them reaches the bus", RiskControlKind.InherentDesign, Interlocks.None,
                    [R + "KinematicsTests.Ik_TargetBeyondJointLimit_StaysInsideLimits", R + "ControlCoreTests.MoveJoints_FromReady_ReachesTargetWithinLimitsThenReady"], ["joint-limit-approach"]),
                new("measured joint position beyond limit + margin faults with torque off", RiskControlKind.ProtectiveMeasure, Interlocks.JointPositionLimit,
                    [R + "InterlockEvaluatorTests.Evaluate_JointBeyondLimitPlusMargin_RaisesPositionLimit_WithinMarginDoesNot", R + "ControlCoreTests.JointBeyondItsLimit_PositionFault"], []),
                new("measured joint speed over its limit faults with torque off", RiskControlKind.ProtectiveMeasure, Interlocks.JointVelocityLimit,
                    [R + "InterlockEvaluatorTests.Evaluate_JointFasterThanItsLimit_RaisesVelocityLimitUntilAWindowIsSlowAgain", R + "ControlCoreTests.JointRunsAway_FasterThanItsLimit_VelocityFault"], []),
                new("servo-side Profile Velocity = the joint's speed limit, written at power-up", RiskControlKind.ProtectiveMeasure, Interlocks.None,
                    [S + "ServoIoOverPtyTests.PowerUp_SixServos_TorqueOnAtPresentPosition"], []),
                new("servo hardware error (overload, overheating, voltage) faults with torque off; reset refused until cleared", RiskControlKind.ProtectiveMeasure, Interlocks.ServoHardwareError,
                    [R + "InterlockEvaluatorTests.Evaluate_AlertBitOrHardwareErrorStatus_RaisesServoHardwareError", S + "ServoFaultTests.HardwareError_Faults_ResetRefusedUntilCleared"], ["servo-overload"]),
            ],
            ["StuckJoint", "Overload", "EncoderNoise"]),
        new("H3", "Loss of the ability to stop",
            "the stop is pressed but the command is lost, delayed or queued behind other traffic, or a servo misses it (cable cut, reboot) and keeps its torque",
            "the arm keeps moving into the patient or staff after a stop was demanded",
            "IEC 80601-2-77 201.9.2.4 (emergency stopping devices, IEC 60601-1 9.2.4); IEC 60204-1 9.2.2 stop category 0; ISO 14971 7.2 (verification of effectiveness)",
            [
                new("e-stop latches; torque off is the next packet on the bus (one owner, preempting the transaction in flight); reset only acknowledged and after release", RiskControlKind.ProtectiveMeasure, Interlocks.EStop,
                    [R + "ControlCoreTests.EStop_Following_TorqueOffInTheSameCycle", R + "ControlCoreTests.EStop_PressedAndReleasedBetweenTwoCycles_StillLatchesEStopWithTorqueOff", R + "SafetySupervisorTableTests.Reset_EStopStillPressed_Refused",
                        S + "InterlocksOverRealTransportsTests.EStop_TorqueOffWrittenOnTheBusWithinTwoCycles", S + "ServoIoOverPtyTests.TorqueOff_WhileASyncReadWaitsOnMutedServos_PreemptsItAndIsTheNextPacket"], ["estop-during-motion"]),
                new("e-stop device heartbeat: the MQTT e-stop device publishes its state every 50 ms with a sequence number on a topic only it may publish to; silence beyond the e-stop watchdog (a silent, crashed or cut-off device: a press would be lost) latches EStop, and power-up is refused until it heartbeats", RiskControlKind.ProtectiveMeasure, Interlocks.EStopDeviceSilent,
                    [R + "InterlockEvaluatorTests.Evaluate_EStopDeviceSilentBeyondItsWatchdog_RaisesEStopDeviceSilentAndRecordsTheLoss", R + "ControlCoreTests.EStopDeviceFallsSilent_WhileFollowing_LatchesEStopWithTorqueOffAndNothingMovesAfter",
                        R + "ControlCoreTests.NoEStopDeviceHeartbeat_EnableRefusedUntilItHeartbeats", S + "InterlocksOverRealTransportsTests.EStopDeviceSilent_LatchesEStopWithTorqueOffOnTheBus",
                        H + "SafetyChainFaultTests.EStopDeviceSilent_LatchesEStopTorqueOffAndNothingMovesAfter"], ["estop-device-silent", "broker-restart"]),
                new("watchdog power relay outside the software path: servo power only while the IO thread feeds it (T_relay 50 ms: a stalled loop, a killed process or a cut bus drops power), the e-stop wired in series (category 0), power and the e-stop loop read back every 10 ms, welded contacts found by the power-up relay test and power-up refused", RiskControlKind.ProtectiveMeasure, Interlocks.ServoPower,
                    [R + "RelayInterlockTests.Evaluate_PowerReadOffWhileTorqueOn_ServoPowerWithTripCause", R + "RelayInterlockTests.Evaluate_WiredEStopLoopOpen_EStopInAnyState", R + "RelayInterlockTests.Evaluate_StuckClosed_ServoPowerEvenWhenDisabled",
                        S + "PowerRelayTwinTests.IoThreadGone_FeedStops_PowerOffWithinTRelayAndNothingMovesAfter", S + "PowerRelayTwinTests.EStopLoopOpened_PowerOffAtOnceReadBackOpenAndPowerUpRefused", S + "PowerRelayTwinTests.ContactsWelded_StuckClosedLatchedAndPowerUpRefused",
                        H + "SafetyChainFaultTests.EStopCableCut_PowerOffAtOnceEStopFromTheReadBackAndNothingMovesAfter", H + "SafetyChainFaultTests.RelayFeedStopped_LoopStalled_RelayCutsPowerAndTheLoopFaultsWhenItRunsAgain",
                        H + "SafetyChainFaultTests.RelayStuckClosed_FoundAtTheNextStop_FaultLatchedAndPowerUpRefused"], []),
                new("torque off repeated every 20 ms while latched, so a servo cut off when the stop came hears it when the bus is back", RiskControlKind.ProtectiveMeasure, Interlocks.None,
                    [H + "CampaignTests.Campaign_EStopInterlockRemoved_FindsTheViolationAndReplayOnTheRealControllerHolds"], []),
                new("Fault and EStop latch; only an acknowledged operator reset leaves them, to Disabled (torque off)", RiskControlKind.InherentDesign, Interlocks.None,
                    [R + "SafetySupervisorTableTests.Reset_NotAcknowledged_Refused", R + "SafetySupervisorTableTests.Reset_FaultConditionStillActive_Refused"], []),
                new("tamper-evident audit log of every stop, fault and command (hash chain)", RiskControlKind.InformationForSafety, Interlocks.None,
                    [R + "AuditLogTests.Verify_EditedField_Detected", R + "AuditLogTests.Verify_DeletedLine_Detected"], []),
            ],
            ["EStopPress", "EStopMalformed", "BusSilent", "EStopDeviceSilent", "EStopCableCut", "RelayFeedStopped", "RelayStuckClosed"]),
        new("H4", "Collision with the patient outside the planned corridor",
            "the surgeon's hand, a scaling error or patient motion drives the instrument tip beyond the rehearsed safety corridor",
            "puncture of a vessel or organ outside the planned path",
            "IEC 80601-2-77 201.9.2.3.1 and 201.12.4.4; ISO 14971 7.1 (protective measure from the rehearsal's corridor)",
            [
                new("virtual fixture: a restoring force on the master as the tip nears the corridor wall", RiskControlKind.InherentDesign, Interlocks.None,
                    [R + "ControlCoreTests.CorridorExit_RestoringForceThenHold"], ["nominal-teleop"]),
                new("corridor violation: commanded or measured tip beyond the hold depth holds at once and latches until cleared", RiskControlKind.ProtectiveMeasure, Interlocks.CorridorViolation,
                    [R + "InterlockEvaluatorTests.EvaluateCorridor_PushedThroughTheWall_RaisesNowAndLatchesUntilCleared", S + "InterlocksOverRealTransportsTests.CorridorExit_RestoringForceThenHold"], ["corridor-violation"]),
            ],
            ["PatientSpike", "PatientMonitorStop"]),
        new("H5", "Beam on in the wrong pose",
            "the arm moves (or is not yet at the planned pose) while the linac's beam is on, or the patient moves during a beam",
            "radiation dose to tissue outside the target",
            "IEC 80601-2-77 201.12.4.4 (incorrect output); IEC 60601-2-1 (interlocks of electron accelerators) as the linac's side of the gate; ISO 14971 7.1",
            [
                new("beam permit only at the planned pose of the armed beam, withheld while the patient is displaced", RiskControlKind.InherentDesign, Interlocks.None,
                    [R + "ControlCoreBeamTests.MoveToPose_AtPlannedPose_PermitsOnlyTheArmedBeam", R + "ControlCoreBeamTests.PatientMotionBeyondTolerance_WithholdsPermit_ResumesWhenBack"], ["radiotherapy-delivery"]),
                new("beam on (or linac status stale > 300 ms, or permit withdrawal not acknowledged) holds the arm", RiskControlKind.ProtectiveMeasure, Interlocks.BeamOn,
                    [R + "ControlCoreBeamTests.LinacBeamOn_NoMotionUntilBeamOffIsAcknowledged", R + "ControlCoreBeamTests.LinacStatusStale_CountsAsBeamOn"], ["radiotherapy-delivery"]),
            ],
            ["LinacStatusStop", "PatientSpike", "PatientMonitorStop"]),
    ];

    /// <summary>
    /// Worst-case time from the hazardous input to the reaction's first packet on the servo bus at the shipped
    /// defaults (ms), with how it adds up. The servo's own response after that packet is the servo's (Dynamixel XM:
    /// torque off within its next control period).
    /// </summary>
    public static (double TotalMs, string Sum) Budget(Interlocks interlock, ControllerOptions? controller = null, DynamixelBusOptions? bus = null, ServoIoOptions? io = null)
    {
        ControllerOptions c = controller ?? new ControllerOptions();
        DynamixelBusOptions b = bus ?? new DynamixelBusOptions();
        ServoIoOptions o = io ?? new ServoIoOptions();
        double cycle = 1000 / c.RateHz;
        double safetyWrite = b.SafetyWriteMaxWaitUs / 1000 + TorqueOffWireMs(b);
        // A hold is a goal (the measured position): written by the IO thread's next pass, at most one of its cycles.
        double ioCycle = Math.Max(o.MinCycleUs / 1000, SyncCycleMs(b));
        double readingAge = ioCycle;
        (double detect, string how) = interlock switch
        {
            Interlocks.EStop => (cycle, F($"message → next cycle {cycle:0.#}")),
            Interlocks.HapticHeartbeat => (c.HeartbeatWatchdogMs + 2 * cycle, F($"watchdog {c.HeartbeatWatchdogMs:0.#} + 2 cycles")),
            Interlocks.EStopDeviceSilent => (c.EStopWatchdogMs + 2 * cycle, F($"e-stop watchdog {c.EStopWatchdogMs:0.#} + 2 cycles")),
            Interlocks.MasterPoseStale => (c.PoseWatchdogMs + 2 * cycle, F($"pose watchdog {c.PoseWatchdogMs:0.#} + 2 cycles")),
            Interlocks.ServoBus => (c.ServoTimeoutMs + cycle, F($"servo timeout {c.ServoTimeoutMs:0.#} + 1 cycle")),
            Interlocks.ServoHardwareError => (readingAge + cycle, F($"alert bit of the next reply (reading {readingAge:0.#}) + 1 cycle; Hardware Error Status, read every {o.StatusPollEvery} IO cycles ({o.StatusPollEvery * ioCycle:0.#}), names the error")),
            Interlocks.JointVelocityLimit => (c.VelocityWindowMs + readingAge + cycle, F($"speed window {c.VelocityWindowMs:0.#} + reading {readingAge:0.#} + 1 cycle")),
            Interlocks.CorridorViolation => (cycle, "same cycle as the pose (≤ 1 cycle)"),
            Interlocks.ServoPower => (o.RelayFeedMs + b.ReplyTimeoutMs + cycle, F($"relay read back every {o.RelayFeedMs:0.#} + a servo read in flight, not retried past it ({b.ReplyTimeoutMs} reply timeout) + 1 cycle (the relay itself cuts power {o.RelayOffMs:0.#} ms after the last feed, whatever the software does)")),
            Interlocks.BrokerConnection => (cycle, "client's disconnect event → next cycle (a link that dies silently is caught first by the 30 ms heartbeat watchdog)"),
            Interlocks.DeadmanReleased => (cycle, "pose carrying the bit → next cycle"),
            Interlocks.BeamOn => (cycle, "linac status → next cycle (a status older than 300 ms counts as beam on)"),
            _ => (readingAge + cycle, F($"reading {readingAge:0.#} + 1 cycle")),
        };
        bool torqueOff = InterlockCatalog.ReactionOf(interlock) != InterlockReaction.Hold;
        double react = torqueOff ? safetyWrite : ioCycle;
        string what = torqueOff ? F($"torque off preempts the bus ≤ {safetyWrite:0.##}") : F($"hold goal on the IO thread's next pass ≤ {ioCycle:0.##}");
        return (detect + react, how + " + " + what);
    }

    // Broadcast torque-off (a 13-byte Write) on the wire.
    private static double TorqueOffWireMs(DynamixelBusOptions b) => 13 * 10.0 / b.BaudRate * 1000;

    // One goal Sync Write (6 × 5 + 14 bytes) and one present-position Sync Read (14 + 6 bytes out, 6 × 15 back with each
    // servo's Return Delay Time) on the wire for the 6-axis arm.
    private static double SyncCycleMs(DynamixelBusOptions b) => ((44 + 20 + 6 * 15) * 10.0 / b.BaudRate * 1000) + 6 * b.ReturnDelayUs / 1000;

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
