namespace MeTAI.Robotics.Transport;

/// <summary>
/// A message received on one of an <see cref="MqttConnection"/>'s subscriptions. Runs on the client's receive path: it
/// must not block, and <paramref name="payload"/> is valid only during the call.
/// </summary>
/// <param name="topic">The message's topic.</param>
/// <param name="payload">Its payload.</param>
public delegate void MqttMessageHandler(string topic, ReadOnlySpan<byte> payload);
