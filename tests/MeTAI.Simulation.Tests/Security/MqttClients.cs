using MeTAI.Robotics.Transport;
using MQTTnet;
using MQTTnet.Protocol;

namespace MeTAI.Simulation.Tests.Security;

internal static class MqttClients
{
    public static async Task<IMqttClient> ConnectAsync(string host, int port, string? user, string? password)
    {
        IMqttClient client = new MqttClientFactory().CreateMqttClient();
        MqttClientOptionsBuilder b = new MqttClientFactory().CreateClientOptionsBuilder()
            .WithTcpServer(host, port).WithClientId("test-" + Guid.NewGuid().ToString("N")[..8]).WithTimeout(TimeSpan.FromSeconds(5));
        if (user is not null)
        {
            b = b.WithCredentials(user, password);
        }

        await client.ConnectAsync(b.Build());
        return client;
    }

    public static Task PublishAsync(IMqttClient client, string topic, byte[] payload) =>
        client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());

    public static async Task<bool> IsRefusedAsync(string host, int port, string? user, string? password)
    {
        try
        {
            using IMqttClient c = await ConnectAsync(host, port, user, password);
            return !c.IsConnected;
        }
        catch (Exception ex) when (ex is MQTTnet.Adapter.MqttConnectingFailedException or MQTTnet.Exceptions.MqttCommunicationException)
        {
            return true;
        }
    }

    public static byte[] Command(MeTAI.Robotics.Control.ControllerCommandKind kind) =>
        System.Text.Encoding.UTF8.GetBytes(CommandJson.Format(kind));
}
