namespace MeTAI.Hil.Mqtt;

/// <summary>
/// A network fault the <see cref="MqttFaultProxy"/> applies to matching packets: latency with jitter (every packet of the
/// connection, order kept), loss and duplication (QoS 0 PUBLISH packets only — a QoS 1 exchange cannot lose a packet
/// without breaking the session, and real brokers and clients would resend it). A rule matches by direction, the
/// client's broker user name and, for PUBLISH packets, an MQTT topic filter.
/// </summary>
public sealed class ProxyRule
{
    /// <summary>Directions it applies to.</summary>
    public ProxyDirection Direction { get; init; } = ProxyDirection.Both;

    /// <summary>Only connections of this broker user (null: all).</summary>
    public string? User { get; init; }

    /// <summary>Only PUBLISH packets whose topic matches this filter (null: every packet).</summary>
    public string? TopicFilter { get; init; }

    /// <summary>Added delay (ms).</summary>
    public double LatencyMs { get; init; }

    /// <summary>Extra uniform random delay in [0, jitter) (ms).</summary>
    public double JitterMs { get; init; }

    /// <summary>Probability of dropping a QoS 0 PUBLISH.</summary>
    public double LossProbability { get; init; }

    /// <summary>Probability of sending a QoS 0 PUBLISH twice.</summary>
    public double DuplicateProbability { get; init; }

    /// <summary>Throws when a value is out of range.</summary>
    public void Validate()
    {
        if (!(LatencyMs >= 0) || !(JitterMs >= 0) || !(LossProbability is >= 0 and <= 1) || !(DuplicateProbability is >= 0 and <= 1))
        {
            throw new ArgumentException("ProxyRule: latency and jitter must be ≥ 0, probabilities in [0, 1].");
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        FormattableString.Invariant($"{Direction} user={User ?? "*"} topic={TopicFilter ?? "*"} latency={LatencyMs}±{JitterMs} ms loss={LossProbability} dup={DuplicateProbability}");
}
