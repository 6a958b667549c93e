using MQTTnet;

namespace MeTAI.Robotics.Transport;

/// <summary>Builds MQTTnet client options from an <see cref="MqttEndpoint"/> (shared by the controller and the twins).</summary>
public static class MqttClientOptionsFactory
{
    /// <summary>Client options: credentials, clean session, 5 s keep-alive, TLS when asked.</summary>
    public static MqttClientOptions Create(MqttEndpoint endpoint, string? clientId = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        MqttClientOptionsBuilder b = new MqttClientFactory().CreateClientOptionsBuilder()
            .WithTcpServer(endpoint.Host, endpoint.Port)
            .WithClientId(clientId ?? endpoint.ClientId ?? endpoint.UserName + "-" + Guid.NewGuid().ToString("N")[..8])
            .WithCredentials(endpoint.UserName, endpoint.Password)
            .WithCleanSession(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(5))
            .WithTimeout(TimeSpan.FromSeconds(5));
        if (endpoint.UseTls)
        {
            b = b.WithTlsOptions(o =>
            {
                o.UseTls(true);
                if (endpoint.AllowUntrustedCertificates)
                {
                    o.WithCertificateValidationHandler(_ => true);
                }
            });
        }

        return b.Build();
    }
}
