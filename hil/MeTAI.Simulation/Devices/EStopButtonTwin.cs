using MeTAI.Robotics.Transport;

namespace MeTAI.Simulation.Devices;

/// <summary>
/// A stand-alone e-stop button on MQTT (its own account; only it may publish the e-stop device topic): publishes its
/// state with a sequence number on every change and every <see cref="HeartbeatPeriodMs"/> as its heartbeat, QoS 1. The
/// controller's e-stop watchdog latches EStop when the heartbeat stops. Fault hooks: a malformed payload (which the
/// controller must read as pressed) and silence (the device hangs or crashes: nothing published, presses lost).
/// </summary>
public sealed class EStopButtonTwin(MqttEndpoint endpoint, string robot) : MqttDevice(endpoint, robot)
{
    /// <summary>Heartbeat period (ms): the state is published this often besides every change.</summary>
    public const int HeartbeatPeriodMs = 50;

    private long _sequence;
    private volatile bool _pressed;
    private volatile bool _silent;
    private volatile bool _stopping;
    private Thread? _thread;

    /// <summary>Current state.</summary>
    public bool Pressed => _pressed;

    /// <summary>True while the device is silenced (<see cref="SetSilent"/>).</summary>
    public bool Silent => _silent;

    /// <summary>Stopwatch ticks of the last press or release published.</summary>
    public long LastChangeTicks { get; private set; }

    /// <summary>Presses (true) or releases the button; false when the message could not be sent (or the device is silent).</summary>
    public bool Set(bool pressed)
    {
        _pressed = pressed;
        LastChangeTicks = System.Diagnostics.Stopwatch.GetTimestamp();
        return Send();
    }

    /// <summary>Fault hook: publishes a malformed e-stop payload on the device topic.</summary>
    public bool PublishMalformed() => Publish(Topics.EStopDevice, [0x04, 0x07], reliable: true);

    /// <summary>Fault hook: the device stops publishing anything (hung or crashed), or starts again.</summary>
    public void SetSilent(bool silent)
    {
        _silent = silent;
        if (!silent)
        {
            Send();
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// The heartbeat runs on a thread of its own, not a thread-pool timer: a QoS 1 publish blocks until the broker's
    /// PUBACK, and while one waited (a broker restart, a held connection) a 50 ms timer queued a blocking callback
    /// every period, faster than the pool adds threads, so the pool never had a thread left to complete the PUBACK — a
    /// 10 000-run campaign hung that way after 4 700 runs (2026-12-07). One thread keeps at most one publish waiting.
    /// </remarks>
    protected override void OnStarted()
    {
        Send();
        _thread = new Thread(Beat) { IsBackground = true, Name = "estop-button-twin" };
        _thread.Start();
    }

    private void Beat()
    {
        long period = HeartbeatPeriodMs * System.Diagnostics.Stopwatch.Frequency / 1000;
        long next = System.Diagnostics.Stopwatch.GetTimestamp() + period;
        while (!_stopping)
        {
            long waitMs = (next - System.Diagnostics.Stopwatch.GetTimestamp()) * 1000 / System.Diagnostics.Stopwatch.Frequency;
            if (waitMs > 0)
            {
                Thread.Sleep((int)waitMs);
            }

            // A publish that waited past its period does not queue the missed beats: the next is one period on.
            next = Math.Max(next + period, System.Diagnostics.Stopwatch.GetTimestamp());
            if (!_stopping)
            {
                Send();
            }
        }
    }

    private bool Send()
    {
        if (_silent)
        {
            return false;
        }

        byte[] payload = new byte[MqttPayloads.EStopLength];
        MqttPayloads.WriteEStop(payload, _pressed, Interlocked.Increment(ref _sequence));
        return Publish(Topics.EStopDevice, payload, reliable: true);
    }

    /// <inheritdoc />
    protected override void OnStopping()
    {
        _stopping = true;
        _thread?.Join(2000);
    }
}
