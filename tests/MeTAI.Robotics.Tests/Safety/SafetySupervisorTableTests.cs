using MeTAI.Robotics.Safety;

namespace MeTAI.Robotics.Tests.Safety;

/// <summary>
/// Every (state, trigger) pair against the documented table (docs/safety.md): permitted pairs reach their target,
/// ignored pairs leave the state without a refusal, every other pair is refused and leaves the state unchanged.
/// The expectation is written out here independently of the supervisor's configuration.
/// </summary>
public class SafetySupervisorTableTests
{
    private const string Ignore = "ignore";

    private static readonly Dictionary<SafetyState, Dictionary<SafetyTrigger, string>> Documented = BuildTable();

    private static Dictionary<SafetyState, Dictionary<SafetyTrigger, string>> BuildTable()
    {
        var t = new Dictionary<SafetyState, Dictionary<SafetyTrigger, string>>();
        void Row(SafetyState s, params (SafetyTrigger Trigger, string Target)[] cells) => t[s] = cells.ToDictionary(c => c.Trigger, c => c.Target);
        (SafetyTrigger, string) To(SafetyTrigger tr, SafetyState target) => (tr, target.ToString());
        (SafetyTrigger, string) Ig(SafetyTrigger tr) => (tr, Ignore);

        (SafetyTrigger, string)[] teleop =
        [
            To(SafetyTrigger.StopTeleop, SafetyState.Ready), To(SafetyTrigger.Pause, SafetyState.Paused),
            To(SafetyTrigger.InterlockHold, SafetyState.Paused), To(SafetyTrigger.Disable, SafetyState.Disabled),
            To(SafetyTrigger.InterlockFault, SafetyState.Fault), To(SafetyTrigger.EStopPressed, SafetyState.EStop),
        ];

        Row(SafetyState.Disabled, To(SafetyTrigger.Enable, SafetyState.Powering), To(SafetyTrigger.EStopPressed, SafetyState.EStop),
            To(SafetyTrigger.InterlockFault, SafetyState.Fault), Ig(SafetyTrigger.Disable), Ig(SafetyTrigger.InterlockHold));
        Row(SafetyState.Powering, To(SafetyTrigger.PowerReady, SafetyState.Enabled), To(SafetyTrigger.PowerFailed, SafetyState.Fault),
            To(SafetyTrigger.Disable, SafetyState.Disabled), To(SafetyTrigger.InterlockFault, SafetyState.Fault),
            To(SafetyTrigger.EStopPressed, SafetyState.EStop), Ig(SafetyTrigger.InterlockHold));
        Row(SafetyState.Enabled, To(SafetyTrigger.Home, SafetyState.Homing), To(SafetyTrigger.Disable, SafetyState.Disabled),
            To(SafetyTrigger.InterlockFault, SafetyState.Fault), To(SafetyTrigger.EStopPressed, SafetyState.EStop), Ig(SafetyTrigger.InterlockHold));
        Row(SafetyState.Homing, To(SafetyTrigger.HomingDone, SafetyState.Ready), To(SafetyTrigger.Pause, SafetyState.Paused),
            To(SafetyTrigger.InterlockHold, SafetyState.Paused), To(SafetyTrigger.Disable, SafetyState.Disabled),
            To(SafetyTrigger.InterlockFault, SafetyState.Fault), To(SafetyTrigger.EStopPressed, SafetyState.EStop));
        Row(SafetyState.Ready, To(SafetyTrigger.StartTeleop, SafetyState.Aligning), To(SafetyTrigger.StartTrajectory, SafetyState.ExecutingTrajectory),
            To(SafetyTrigger.Home, SafetyState.Homing), To(SafetyTrigger.Disable, SafetyState.Disabled),
            To(SafetyTrigger.InterlockFault, SafetyState.Fault), To(SafetyTrigger.EStopPressed, SafetyState.EStop), Ig(SafetyTrigger.InterlockHold));
        Row(SafetyState.Aligning, [To(SafetyTrigger.Aligned, SafetyState.Following), .. teleop]);
        Row(SafetyState.Following, [To(SafetyTrigger.ClutchPressed, SafetyState.Clutched), .. teleop]);
        Row(SafetyState.Clutched, [To(SafetyTrigger.ClutchReleased, SafetyState.Aligning), .. teleop]);
        Row(SafetyState.ExecutingTrajectory, To(SafetyTrigger.TrajectoryDone, SafetyState.Ready), To(SafetyTrigger.StopTrajectory, SafetyState.Ready),
            To(SafetyTrigger.Pause, SafetyState.Paused), To(SafetyTrigger.InterlockHold, SafetyState.Paused), To(SafetyTrigger.Disable, SafetyState.Disabled),
            To(SafetyTrigger.InterlockFault, SafetyState.Fault), To(SafetyTrigger.EStopPressed, SafetyState.EStop));
        Row(SafetyState.Paused, To(SafetyTrigger.Resume, SafetyState.Ready), To(SafetyTrigger.Disable, SafetyState.Disabled),
            To(SafetyTrigger.InterlockFault, SafetyState.Fault), To(SafetyTrigger.EStopPressed, SafetyState.EStop),
            Ig(SafetyTrigger.InterlockHold), Ig(SafetyTrigger.Pause));
        Row(SafetyState.Fault, To(SafetyTrigger.Reset, SafetyState.Disabled), To(SafetyTrigger.EStopPressed, SafetyState.EStop),
            Ig(SafetyTrigger.InterlockFault), Ig(SafetyTrigger.InterlockHold), Ig(SafetyTrigger.PowerFailed));
        Row(SafetyState.EStop, To(SafetyTrigger.Reset, SafetyState.Disabled), Ig(SafetyTrigger.EStopPressed),
            Ig(SafetyTrigger.InterlockFault), Ig(SafetyTrigger.InterlockHold), Ig(SafetyTrigger.PowerFailed));
        return t;
    }

    public static IEnumerable<object[]> Pairs() =>
        from s in Enum.GetValues<SafetyState>()
        where s != SafetyState.Teleoperating
        from tr in Enum.GetValues<SafetyTrigger>()
        select new object[] { s, tr };

    private static (SafetySupervisor Supervisor, RecordingObserver Observer) Create(SafetyState state)
    {
        var observer = new RecordingObserver();
        return (new SafetySupervisor(state, observer), observer);
    }

    private static bool Fire(SafetySupervisor s, SafetyTrigger t, bool acknowledged = true) =>
        t == SafetyTrigger.Reset ? s.RequestReset(acknowledged) : s.Fire(t);

    [Theory]
    [MemberData(nameof(Pairs))]
    public void EveryPair_NoInterlock_PermittedToDocumentedTargetOrRefused(SafetyState state, SafetyTrigger trigger)
    {
        (SafetySupervisor supervisor, RecordingObserver observer) = Create(state);
        bool changed = Fire(supervisor, trigger);
        Documented[state].TryGetValue(trigger, out string? expected);
        if (expected is null)
        {
            Assert.False(changed);
            Assert.Equal(state, supervisor.State);
            Assert.Single(observer.Refusals);
            Assert.Empty(observer.Transitions);
        }
        else if (expected == Ignore)
        {
            Assert.Equal(state, supervisor.State);
            Assert.Empty(observer.Refusals);
            Assert.Empty(observer.Transitions);
        }
        else
        {
            Assert.True(changed);
            Assert.Equal(expected, supervisor.State.ToString());
            Assert.Equal((state, supervisor.State, trigger), observer.Transitions.Single());
        }
    }

    [Fact]
    public void Table_CoversEveryRestingState()
    {
        Assert.Equal(Enum.GetValues<SafetyState>().Length - 1, Documented.Count);
        Assert.Equal(12 * Enum.GetValues<SafetyTrigger>().Length, Pairs().Count());
    }

    [Theory]
    [InlineData(SafetyState.Enabled, SafetyTrigger.Home)]
    [InlineData(SafetyState.Ready, SafetyTrigger.StartTeleop)]
    [InlineData(SafetyState.Ready, SafetyTrigger.StartTrajectory)]
    [InlineData(SafetyState.Ready, SafetyTrigger.Home)]
    [InlineData(SafetyState.Aligning, SafetyTrigger.Aligned)]
    [InlineData(SafetyState.Paused, SafetyTrigger.Resume)]
    public void MotionGuards_AnyInterlockActive_Refused(SafetyState state, SafetyTrigger trigger)
    {
        foreach (Interlocks bit in InterlockCatalog.All)
        {
            (SafetySupervisor supervisor, RecordingObserver observer) = Create(state);
            supervisor.SetInterlocksWithoutReaction(bit);
            Assert.False(supervisor.Fire(trigger));
            Assert.Equal(state, supervisor.State);
            Assert.Contains("guard", observer.Refusals.Single().Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Enable_HoldInterlockOnly_Permitted_FaultOrEStop_Refused()
    {
        (SafetySupervisor s1, _) = Create(SafetyState.Disabled);
        s1.SetInterlocksWithoutReaction(Interlocks.DeadmanReleased | Interlocks.HapticHeartbeat);
        Assert.True(s1.Fire(SafetyTrigger.Enable));
        foreach (Interlocks bit in new[] { Interlocks.EStop, Interlocks.ServoHardwareError, Interlocks.TrackingError })
        {
            (SafetySupervisor s2, _) = Create(SafetyState.Disabled);
            s2.SetInterlocksWithoutReaction(bit);
            Assert.False(s2.Fire(SafetyTrigger.Enable));
        }
    }

    [Theory]
    [InlineData(SafetyState.Fault)]
    [InlineData(SafetyState.EStop)]
    public void Reset_NotAcknowledged_Refused(SafetyState state)
    {
        (SafetySupervisor supervisor, RecordingObserver observer) = Create(state);
        Assert.False(supervisor.RequestReset(acknowledged: false));
        Assert.Equal(state, supervisor.State);
        Assert.Single(observer.Refusals);
    }

    [Fact]
    public void Reset_FaultConditionStillActive_Refused()
    {
        (SafetySupervisor supervisor, _) = Create(SafetyState.Fault);
        supervisor.SetInterlocksWithoutReaction(Interlocks.ServoHardwareError);
        Assert.False(supervisor.RequestReset(acknowledged: true));
        supervisor.SetInterlocksWithoutReaction(Interlocks.DeadmanReleased);
        Assert.True(supervisor.RequestReset(acknowledged: true));
        Assert.Equal(SafetyState.Disabled, supervisor.State);
    }

    [Fact]
    public void Reset_EStopStillPressed_Refused()
    {
        (SafetySupervisor supervisor, _) = Create(SafetyState.EStop);
        supervisor.SetInterlocksWithoutReaction(Interlocks.EStop);
        Assert.False(supervisor.RequestReset(acknowledged: true));
        supervisor.SetInterlocksWithoutReaction(Interlocks.None);
        Assert.True(supervisor.RequestReset(acknowledged: true));
    }

    [Fact]
    public void Update_Disabled_SilentEStopDeviceRefusesPowerUpAndOnlyAWeldedRelayFaults()
    {
        // The controller starts before its e-stop device: in Disabled its silence refuses Enable and latches nothing.
        (SafetySupervisor supervisor, _) = Create(SafetyState.Disabled);
        supervisor.Update(Interlocks.EStopDeviceSilent);
        Assert.Equal(SafetyState.Disabled, supervisor.State);
        Assert.False(supervisor.Fire(SafetyTrigger.Enable));

        // Of the fault bits, only ServoPower can be raised in Disabled (welded relay contacts): it latches Fault.
        supervisor.Update(Interlocks.ServoBus);
        Assert.Equal(SafetyState.Disabled, supervisor.State);
        supervisor.Update(Interlocks.ServoPower);
        Assert.Equal(SafetyState.Fault, supervisor.State);

        // A silent e-stop device in any powered state latches EStop; reset refused while it stays silent.
        (supervisor, _) = Create(SafetyState.Following);
        supervisor.Update(Interlocks.EStopDeviceSilent);
        Assert.Equal(SafetyState.EStop, supervisor.State);
        Assert.False(supervisor.RequestReset(acknowledged: true));
        supervisor.Update(Interlocks.None);
        Assert.True(supervisor.RequestReset(acknowledged: true));
    }

    [Fact]
    public void Fire_FromAnotherThread_Throws()
    {
        var supervisor = new SafetySupervisor();
        supervisor.Fire(SafetyTrigger.Disable);
        Exception? ex = null;
        var other = new Thread(() => ex = Record.Exception(() => supervisor.Fire(SafetyTrigger.Enable)));
        other.Start();
        other.Join();
        Assert.IsType<InvalidOperationException>(ex);
    }

    [Theory]
    [InlineData(Interlocks.EStop, SafetyState.Following, SafetyState.EStop)]
    [InlineData(Interlocks.TrackingError, SafetyState.Following, SafetyState.Fault)]
    [InlineData(Interlocks.ServoBus, SafetyState.Ready, SafetyState.Fault)]
    [InlineData(Interlocks.HapticHeartbeat, SafetyState.Following, SafetyState.Paused)]
    [InlineData(Interlocks.BrokerConnection, SafetyState.ExecutingTrajectory, SafetyState.Paused)]
    [InlineData(Interlocks.CorridorViolation, SafetyState.Following, SafetyState.Paused)]
    [InlineData(Interlocks.DeadmanReleased, SafetyState.Homing, SafetyState.Paused)]
    [InlineData(Interlocks.HapticHeartbeat, SafetyState.Ready, SafetyState.Ready)]
    [InlineData(Interlocks.TrackingError, SafetyState.Disabled, SafetyState.Disabled)]
    [InlineData(Interlocks.EStop, SafetyState.Fault, SafetyState.EStop)]
    public void Update_Interlock_ReactsAsCatalogued(Interlocks interlock, SafetyState from, SafetyState expected)
    {
        (SafetySupervisor supervisor, RecordingObserver observer) = Create(from);
        supervisor.Update(interlock);
        Assert.Equal(expected, supervisor.State);
        Assert.Contains(interlock, observer.Raised);
    }
}
