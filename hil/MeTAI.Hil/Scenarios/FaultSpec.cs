using MeTAI.Core.Geometry;
using MeTAI.Hil.Mqtt;

namespace MeTAI.Hil.Scenarios;

/// <summary>A scheduled fault: what, when (scenario seconds), for how long, and its parameters.</summary>
public sealed record FaultSpec
{
    /// <summary>Identifier assertions refer to.</summary>
    public required string Id { get; init; }

    /// <summary>Kind.</summary>
    public required FaultKind Kind { get; init; }

    /// <summary>Start (scenario seconds); ignored when <see cref="AfterBeamOnS"/> is set.</summary>
    public required double AtS { get; init; }

    /// <summary>
    /// Start this many seconds after the first beam-on of the run instead of at <see cref="AtS"/> (radiotherapy): a fault
    /// that must hit an irradiation whatever the plan's beam timing. Never injected when no beam comes on.
    /// </summary>
    public double? AfterBeamOnS { get; init; }

    /// <summary>Duration (s); 0: a one-off action or until the end.</summary>
    public double DurationS { get; init; }

    /// <summary>Joint index (0-based) for servo faults; −1: every joint (where that makes sense).</summary>
    public int Joint { get; init; } = -1;

    /// <summary>Count: corrupted replies (serialCorrupt) or dropped bytes (serialDrop).</summary>
    public int Count { get; init; } = 1;

    /// <summary>Encoder noise (counts).</summary>
    public int Counts { get; init; } = 2;

    /// <summary>Probability (MQTT loss/duplication).</summary>
    public double Probability { get; init; }

    /// <summary>MQTT latency (ms).</summary>
    public double LatencyMs { get; init; }

    /// <summary>MQTT jitter (ms).</summary>
    public double JitterMs { get; init; }

    /// <summary>Serial reply delay (ms).</summary>
    public double DelayMs { get; init; }

    /// <summary>Broker user the MQTT fault applies to (null: every client).</summary>
    public string? Client { get; init; }

    /// <summary>Topic filter the MQTT fault applies to (null: every packet).</summary>
    public string? Topic { get; init; }

    /// <summary>Direction the MQTT fault applies to.</summary>
    public ProxyDirection Direction { get; init; } = ProxyDirection.Both;

    /// <summary>Displacement (patient spike, LPS mm).</summary>
    public Vec3 Mm { get; init; }

    /// <summary>End (scenario seconds), or the start for a one-off.</summary>
    public double EndS => AtS + DurationS;

    /// <summary>One line for reports.</summary>
    public string Describe() => Kind switch
    {
        FaultKind.MqttLatency => FormattableString.Invariant($"MQTT latency {LatencyMs} ± {JitterMs} ms ({Client ?? "all clients"}, {Topic ?? "all topics"})"),
        FaultKind.MqttLoss => FormattableString.Invariant($"MQTT loss p = {Probability} ({Client ?? "all clients"}, {Topic ?? "all topics"})"),
        FaultKind.MqttDuplicate => FormattableString.Invariant($"MQTT duplication p = {Probability} ({Client ?? "all clients"}, {Topic ?? "all topics"})"),
        FaultKind.SerialCorrupt => $"serial: corrupt {Count} replies",
        FaultKind.SerialDrop => $"serial: drop {Count} bytes",
        FaultKind.SerialDelay => FormattableString.Invariant($"serial: replies {DelayMs} ms late"),
        FaultKind.ServoSilent or FaultKind.StuckJoint or FaultKind.Overload => $"{Kind} joint {Joint + 1}",
        FaultKind.EncoderNoise => $"encoder noise ±{Counts} counts ({(Joint < 0 ? "all joints" : $"joint {Joint + 1}")})",
        FaultKind.PatientSpike => FormattableString.Invariant($"patient spike {Mm.Length:F1} mm"),
        FaultKind.ClientDisconnect => $"disconnect {Client ?? "all clients"}",
        _ => Kind.ToString(),
    } + (DurationS > 0 ? FormattableString.Invariant($" for {DurationS:0.###} s") : "")
      + (AfterBeamOnS is { } after ? FormattableString.Invariant($", {after:0.###} s after the first beam-on") : "");
}
