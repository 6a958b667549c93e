using MeTAI.Robotics.Transport;

namespace MeTAI.Simulation.Devices;

/// <summary>
/// A stand-alone e-stop button on MQTT (its own account, e-stop topic only): publishes its state on every change and
/// once a second, QoS 1. Fault hook: a malformed payload (which the controller must read as pressed).
/// </summary>
public sealed class EStopButtonTwin(MqttEndpoint endpoint, string robot) : MqttDevice(endpoint, robot)
{
    private long _sequence;
    private volatile bool _pressed;
    private Timer? _timer;

    /// <summary>Current state.</summary>
    public bool Pressed => _pressed;

    /// <summary>Stopwatch ticks of the last press or release published.</summary>
    public long LastChangeTicks { get; private set; }

    /// <summary>Presses (true) or releases the button; false when the message could not be sent.</summary>
    public bool Set(bool pressed)
    {
        _pressed = pressed;
        LastChangeTicks = System.Diagnostics.Stopwatch.GetTimestamp();
        return Send();
    }

    /// <summary>Fault hook: publishes a malformed e-stop payload.</summary>
    public bool PublishMalformed() => Publish(Topics.EStop, [0x04, 0x07], reliable: true);

    /// <inheritdoc />
    protected override void OnStarted() => _timer = new Timer(_ => Send(), null, 1000, 1000);

    private bool Send()
    {
        byte[] payload = new byte[MqttPayloads.EStopLength];
        MqttPayloads.WriteEStop(payload, _pressed, Interlocked.Increment(ref _sequence));
        return Publish(Topics.EStop, payload, reliable: true);
    }

    /// <inheritdoc />
    protected override void OnStopping() => _timer?.Dispose();
}
