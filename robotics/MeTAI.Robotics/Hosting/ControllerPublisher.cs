using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MeTAI.Robotics.Control;
using MeTAI.Robotics.Radiotherapy;
using MeTAI.Robotics.Safety;
using MeTAI.Robotics.Transport;

namespace MeTAI.Robotics.Hosting;

/// <summary>
/// Publishes the loop's outputs from its own thread so the loop never waits on the network: force feedback to the
/// master whenever the fixture pushes (and a zero force once when it stops, then at 20 Hz), the controller heartbeat
/// at 100 Hz, retained state on every change, interlock changes, and telemetry at 10 Hz. It also shows the state to
/// the no-GC region steward, if any, which opens its regions from this thread.
/// </summary>
public sealed class ControllerPublisher : IDisposable
{
    private readonly ControllerMqttLink _link;
    private readonly ControllerOutputs _outputs;
    private readonly Func<string> _telemetry;
    private readonly NoGcRegionSteward? _noGc;
    private readonly double[] _cmd;
    private readonly double[] _meas;
    private readonly byte[] _force = new byte[MqttPayloads.ForceLength];
    private readonly byte[] _heartbeat = new byte[MqttPayloads.HeartbeatLength];
    private Thread? _thread;
    private volatile bool _running;
    private long _forcesSent;

    /// <summary>Creates the publisher; <paramref name="telemetry"/> builds the telemetry JSON.</summary>
    public ControllerPublisher(ControllerMqttLink link, ControllerOutputs outputs, Func<string> telemetry, NoGcRegionSteward? noGc = null)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(telemetry);
        _link = link;
        _outputs = outputs;
        _telemetry = telemetry;
        _noGc = noGc;
        _cmd = new double[outputs.JointCount];
        _meas = new double[outputs.JointCount];
    }

    /// <summary>Force messages sent.</summary>
    public long ForcesSent => Interlocked.Read(ref _forcesSent);

    /// <summary>Starts the thread.</summary>
    public void Start()
    {
        _running = true;
        _thread = new Thread(Run) { IsBackground = true, Name = "mqtt-publisher" };
        _thread.Start();
    }

    private void Run()
    {
        MqttTopics t = _link.Topics;
        string forceTopic = t.MasterForce(_link.MasterId);
        long f = Stopwatch.Frequency;
        long lastForce = 0, lastHeartbeat = 0, lastTelemetry = 0, lastGate = 0;
        long lastGateSeq = -1;
        long seq = 0;
        bool wasActive = false;
        SafetyState lastState = (SafetyState)(-1);
        Interlocks lastInterlocks = (Interlocks)uint.MaxValue;
        while (_running)
        {
            Thread.Sleep(1);
            long now = Stopwatch.GetTimestamp();
            ControllerSnapshot s = _outputs.Read(_cmd, _meas);
            _noGc?.Observe(s.State);
            if (s.FixtureActive || wasActive || now - lastForce > f / 20)
            {
                MqttPayloads.WriteForce(_force, s.ForceMasterN, s.FixtureActive, ++seq, now);
                if (_link.Publish(forceTopic, _force))
                {
                    Interlocked.Increment(ref _forcesSent);
                }

                wasActive = s.FixtureActive;
                lastForce = now;
            }

            if (now - lastHeartbeat > f / 100)
            {
                MqttPayloads.WriteHeartbeat(_heartbeat, seq, now);
                _link.Publish(t.ControllerHeartbeat, _heartbeat);
                lastHeartbeat = now;
            }

            if (s.State != lastState && _link.Publish(t.State, Json(w =>
                {
                    w.WriteString("state", s.State.ToString());
                    w.WriteString("interlocks", s.Interlocks.ToString());
                    w.WriteNumber("cycle", s.Cycle);
                }), retain: true, reliable: true))
            {
                lastState = s.State;
            }

            if (s.Interlocks != lastInterlocks && _link.Publish(t.Interlocks, Json(w =>
                {
                    w.WriteString("active", s.Interlocks.ToString());
                    w.WriteNumber("bits", (uint)s.Interlocks);
                    w.WriteString("state", s.State.ToString());
                    w.WriteNumber("cycle", s.Cycle);
                }), reliable: true))
            {
                lastInterlocks = s.Interlocks;
            }

            // The beam permit: at once on every change, else at 20 Hz (the linac treats a permit older than 150 ms as withdrawn).
            if (_outputs.TryReadBeam(out BeamPermit permit) && (permit.Sequence != lastGateSeq || now - lastGate > f / 20)
                && _link.Publish(t.BeamGate, BeamJson.FormatGate(permit.Permit, permit.Beam, permit.Sequence, permit.Reasons, permit.Cycle), reliable: true))
            {
                lastGateSeq = permit.Sequence;
                lastGate = now;
            }

            if (now - lastTelemetry > f / 10)
            {
                _link.Publish(t.Telemetry, Encoding.UTF8.GetBytes(_telemetry()));
                lastTelemetry = now;
            }
        }
    }

    private static byte[] Json(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteString("utc", DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Stops the thread.</summary>
    public void Dispose()
    {
        _running = false;
        _thread?.Join(2000);
    }
}
