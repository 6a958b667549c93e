namespace MeTAI.Hil.Mqtt;

/// <summary>One PUBLISH packet as the proxy saw it (a HIL trace entry).</summary>
/// <param name="Ticks">Stopwatch ticks when it reached the proxy.</param>
/// <param name="Direction">Which way it travelled.</param>
/// <param name="User">The connection's broker user.</param>
/// <param name="Topic">Topic.</param>
/// <param name="Qos">QoS level.</param>
/// <param name="PayloadLength">Payload bytes.</param>
/// <param name="Payload">The payload when it is short (≤ 512 bytes), else null.</param>
/// <param name="Action">forwarded, delayed, dropped or duplicated.</param>
/// <param name="DelayMs">Delay added (ms).</param>
public sealed record MqttTraceMessage(long Ticks, ProxyDirection Direction, string User, string Topic, int Qos, int PayloadLength,
    byte[]? Payload, string Action, double DelayMs);
