using System.Globalization;

namespace MeTAI.Robotics.Transport;

/// <summary>Where and as whom to connect: <c>mqtt://host:port</c> or <c>mqtts://host:port</c> (TLS) plus credentials.</summary>
public sealed class MqttEndpoint
{
    /// <summary>Host name or address.</summary>
    public required string Host { get; init; }

    /// <summary>TCP port.</summary>
    public required int Port { get; init; }

    /// <summary>Use TLS.</summary>
    public bool UseTls { get; init; }

    /// <summary>Accept a self-signed broker certificate (testing only).</summary>
    public bool AllowUntrustedCertificates { get; init; }

    /// <summary>User name.</summary>
    public required string UserName { get; init; }

    /// <summary>Password.</summary>
    public required string Password { get; init; }

    /// <summary>Client ID (defaults to the user name).</summary>
    public string? ClientId { get; init; }

    /// <summary>Parses <c>mqtt://host:port</c> / <c>mqtts://host:port</c>.</summary>
    public static MqttEndpoint Parse(string uri, string userName, string password)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uri);
        if (!Uri.TryCreate(uri, UriKind.Absolute, out Uri? u) || (u.Scheme != "mqtt" && u.Scheme != "mqtts"))
        {
            throw new FormatException($"Broker '{uri}' is not mqtt://host:port or mqtts://host:port.");
        }

        bool tls = u.Scheme == "mqtts";
        int port = u.IsDefaultPort || u.Port <= 0 ? (tls ? 8883 : 1883) : u.Port;
        return new MqttEndpoint { Host = u.Host, Port = port, UseTls = tls, UserName = userName, Password = password };
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{(UseTls ? "mqtts" : "mqtt")}://{Host}:{Port}");
}
