using MeTAI.Core.Geometry;
using MeTAI.Hil.Mqtt;
using MeTAI.Hil.Scenarios;
using MeTAI.Robotics.Dynamixel;
using MeTAI.Simulation.Serial;

namespace MeTAI.Hil.Runner;

/// <summary>
/// Applies a scheduled fault to a <see cref="HilRig"/> and returns how to remove it (null for one-off faults).
/// Overlapping faults of one kind on one target (two corruption storms, two silences of the same servo, two broker
/// restarts) merge: the fault is on from the first start to the last end, with the first one's settings. Without this
/// the end of the first switched the device back while the second was still scheduled, and a campaign demanded a
/// reaction to a fault that was no longer there (seed 2100680973: a 282 ms storm cut to 24 ms).
/// </summary>
internal static class FaultInjector
{
    public static async Task<Func<Task>?> StartAsync(FaultSpec f, HilRig rig, CancellationToken cancellationToken)
    {
        string? key = OverlapKey(f);
        if (key is null)
        {
            return await ApplyAsync(f, rig, cancellationToken).ConfigureAwait(false);
        }

        string overlapKey = key;
        FaultOverlaps overlaps = rig.Overlaps;
        await overlaps.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (overlaps.Active.TryGetValue(overlapKey, out (int Count, Func<Task> Undo) on))
            {
                overlaps.Active[overlapKey] = (on.Count + 1, on.Undo);
                return Release;
            }

            Func<Task>? undo = await ApplyAsync(f, rig, cancellationToken).ConfigureAwait(false);
            if (undo is null)
            {
                return null;
            }

            overlaps.Active[overlapKey] = (1, undo);
            return Release;
        }
        finally
        {
            overlaps.Gate.Release();
        }

        async Task Release()
        {
            Func<Task>? last = null;
            await overlaps.Gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                (int count, Func<Task> undo) = overlaps.Active[overlapKey];
                if (count == 1)
                {
                    overlaps.Active.Remove(overlapKey);
                    last = undo;
                }
                else
                {
                    overlaps.Active[overlapKey] = (count - 1, undo);
                }

                if (last is not null)
                {
                    await last().ConfigureAwait(false);
                }
            }
            finally
            {
                overlaps.Gate.Release();
            }
        }
    }

    /// <summary>
    /// What a fault switches on and off, as a key: faults with the same key overlap into one. Null for faults that
    /// compose by themselves (each MQTT proxy rule is its own) or happen once.
    /// </summary>
    internal static string? OverlapKey(FaultSpec f) => f.Kind switch
    {
        FaultKind.MqttLatency or FaultKind.MqttLoss or FaultKind.MqttDuplicate or FaultKind.ClientDisconnect or FaultKind.SerialCorrupt
            or FaultKind.SerialDrop or FaultKind.EStopMalformed or FaultKind.RelayFeedStopped => null,
        FaultKind.ServoSilent or FaultKind.StuckJoint or FaultKind.EncoderNoise or FaultKind.Overload or FaultKind.BaudMismatch => $"{f.Kind}:{f.Joint}",
        _ => f.Kind.ToString(),
    };

    private static async Task<Func<Task>?> ApplyAsync(FaultSpec f, HilRig rig, CancellationToken cancellationToken)
    {
        switch (f.Kind)
        {
            case FaultKind.MqttLatency:
            case FaultKind.MqttLoss:
            case FaultKind.MqttDuplicate:
                {
                    var rule = new ProxyRule
                    {
                        Direction = f.Direction,
                        User = f.Client,
                        TopicFilter = f.Topic is null ? null : f.Topic.StartsWith("metai/", StringComparison.Ordinal) ? f.Topic : rig.Topics.Root + "/" + f.Topic,
                        LatencyMs = f.Kind == FaultKind.MqttLatency ? f.LatencyMs : 0,
                        JitterMs = f.Kind == FaultKind.MqttLatency ? f.JitterMs : 0,
                        LossProbability = f.Kind == FaultKind.MqttLoss ? f.Probability : 0,
                        DuplicateProbability = f.Kind == FaultKind.MqttDuplicate ? f.Probability : 0,
                    };
                    rig.Proxy.AddRule(rule);
                    return () =>
                    {
                        rig.Proxy.RemoveRule(rule);
                        return Task.CompletedTask;
                    };
                }

            case FaultKind.BrokerRestart:
                {
                    if (rig.Broker is null)
                    {
                        throw new InvalidOperationException("brokerRestart needs the embedded broker (it cannot restart an external one).");
                    }

                    await rig.Broker.StopAsync(cancellationToken).ConfigureAwait(false);
                    rig.Proxy.Disconnect(null);
                    return () => rig.Broker.StartAsync(CancellationToken.None);
                }

            case FaultKind.ClientDisconnect:
                rig.Proxy.Disconnect(f.Client);
                return null;
            case FaultKind.SerialCorrupt:
                rig.Servos.CorruptNextReplies(f.Count);
                return null;
            case FaultKind.SerialDrop:
                rig.Servos.DropNextBytes(f.Count);
                return null;
            case FaultKind.SerialCorruptStorm:
                rig.Servos.CorruptAll(true);
                return Undo(() => rig.Servos.CorruptAll(false));
            case FaultKind.SerialDelay:
                rig.Servos.DelayReplies(TimeSpan.FromMilliseconds(f.DelayMs));
                return Undo(() => rig.Servos.DelayReplies(TimeSpan.Zero));
            case FaultKind.ServoSilent:
                Servo(rig, f).SetResponding(false);
                return Undo(() => Servo(rig, f).SetResponding(true));
            case FaultKind.ServoFeedbackStale:
                rig.Servos.MuteReads(true);
                return Undo(() => rig.Servos.MuteReads(false));
            case FaultKind.BusSilent:
                rig.Servos.BeginSilence();
                return Undo(rig.Servos.EndSilence);
            case FaultKind.StuckJoint:
                Servo(rig, f).Stick(true);
                return Undo(() => Servo(rig, f).Stick(false));
            case FaultKind.EncoderNoise:
                {
                    IEnumerable<XmServoTwin> servos = f.Joint < 0 ? rig.Servos.Servos : [Servo(rig, f)];
                    foreach (XmServoTwin s in servos)
                    {
                        s.SetEncoderNoise(f.Counts);
                    }

                    return Undo(() =>
                    {
                        foreach (XmServoTwin s in servos)
                        {
                            s.SetEncoderNoise(rig.ServoSettings.EncoderNoiseCounts);
                        }
                    });
                }

            case FaultKind.Overload:
                Servo(rig, f).SetHardwareError(XmControlTable.HwErrorOverload);
                return Undo(() => Servo(rig, f).SetHardwareError(0));
            case FaultKind.HeartbeatStop:
                rig.Master.SetHeartbeat(false);
                return Undo(() => rig.Master.SetHeartbeat(true));
            case FaultKind.PosesStop:
                rig.Master.SetPoses(false);
                return Undo(() => rig.Master.SetPoses(true));
            case FaultKind.DeadmanRelease:
                rig.Master.SetOperatorPresent(false);
                return Undo(() => rig.Master.SetOperatorPresent(true));
            case FaultKind.EStopPress:
                rig.EStop.Set(true);
                return Undo(() => rig.EStop.Set(false));
            case FaultKind.EStopMalformed:
                rig.EStop.PublishMalformed();
                return null;
            case FaultKind.PatientSpike:
                Need(rig.Patient, "patientSpike").SetSpike(f.Mm);
                return Undo(() => rig.Patient!.SetSpike(Vec3.Zero));
            case FaultKind.PatientMonitorStop:
                Need(rig.Patient, "patientMonitorStop").SetSilent(true);
                return Undo(() => rig.Patient!.SetSilent(false));
            case FaultKind.LinacStatusStop:
                Need(rig.Linac, "linacStatusStop").SetStatusSilent(true);
                return Undo(() => rig.Linac!.SetStatusSilent(false));
            case FaultKind.BusCollision:
                rig.Servos.BeginRogueTalker(f.Probability);
                return Undo(rig.Servos.EndRogueTalker);
            case FaultKind.BaudMismatch:
                {
                    int? servo = null;
                    if (f.Joint >= 0)
                    {
                        _ = Servo(rig, f); // refuses a joint the robot does not have
                        servo = f.Joint;
                    }

                    rig.Servos.SetBaudMismatch(servo, true);
                    return Undo(() => rig.Servos.SetBaudMismatch(servo, false));
                }

            case FaultKind.EStopDeviceSilent:
                rig.EStop.SetSilent(true);
                return Undo(() => rig.EStop.SetSilent(false));
            case FaultKind.EStopCableCut:
                Relay(rig, f).OpenEStopLoop(true);
                return Undo(() => Relay(rig, f).OpenEStopLoop(false));
            case FaultKind.RelayFeedStopped:
                // A real stall of the loop thread (its test hook), not a switch in the feed: what stops the feed is the
                // IO thread's own loop-alive rule, as when the loop hangs.
                _ = Relay(rig, f);
                rig.Controller.Loop.StallFor(TimeSpan.FromSeconds(f.DurationS));
                return null;
            case FaultKind.RelayStuckClosed:
                rig.Spent = true;
                Relay(rig, f).WeldContacts(true);
                return Undo(() => Relay(rig, f).WeldContacts(false));
            default:
                throw new InvalidOperationException("unknown fault " + f.Kind);
        }
    }

    private static PowerRelayTwin Relay(HilRig rig, FaultSpec f) =>
        rig.Servos.Relay ?? throw new InvalidOperationException($"fault {f.Id} ({f.Kind}) needs the power relay board on the servo bus.");

    private static T Need<T>(T? device, string fault)
        where T : class => device ?? throw new InvalidOperationException($"{fault} needs the device in the scenario's devices section.");

    private static XmServoTwin Servo(HilRig rig, FaultSpec f) =>
        f.Joint >= 0 && f.Joint < rig.Servos.Servos.Count ? rig.Servos.Servos[f.Joint]
            : throw new InvalidOperationException($"fault {f.Id}: joint {f.Joint + 1} does not exist (the robot has {rig.Servos.Servos.Count}).");

    private static Func<Task> Undo(Action undo) => () =>
    {
        undo();
        return Task.CompletedTask;
    };
}

/// <summary>The faults on now, by <see cref="FaultInjector.OverlapKey"/>: how many overlap, and the first one's undo.</summary>
internal sealed class FaultOverlaps : IDisposable
{
    public SemaphoreSlim Gate { get; } = new(1, 1);

    public Dictionary<string, (int Count, Func<Task> Undo)> Active { get; } = new(StringComparer.Ordinal);

    public void Dispose() => Gate.Dispose();
}
