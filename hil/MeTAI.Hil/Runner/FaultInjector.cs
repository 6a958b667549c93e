using MeTAI.Core.Geometry;
using MeTAI.Hil.Mqtt;
using MeTAI.Hil.Scenarios;
using MeTAI.Hil.Serial;
using MeTAI.Robotics.Dynamixel;

namespace MeTAI.Hil.Runner;

/// <summary>Applies a scheduled fault to a <see cref="HilRig"/> and returns how to remove it (null for one-off faults).</summary>
internal static class FaultInjector
{
    public static async Task<Func<Task>?> StartAsync(FaultSpec f, HilRig rig, CancellationToken cancellationToken)
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
                            s.SetEncoderNoise(rig.Options.Servos.EncoderNoiseCounts);
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
            default:
                throw new InvalidOperationException("unknown fault " + f.Kind);
        }
    }

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
