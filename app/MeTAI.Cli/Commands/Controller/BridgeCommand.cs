using System.CommandLine;
using System.Globalization;
using System.Net;
using MeTAI.Robotics.Transport;

namespace MeTAI.Cli.Commands.Controller;

/// <summary>
/// <c>metai bridge udp --listen HOST:PORT --broker mqtt://host:port --master ID [--robot NAME] [--seconds S]</c>: the
/// reference bridge of a haptic device that sends its 76-byte poses as UDP datagrams (docs/mqtt-topics.md, *Bridging a
/// physical haptic device*). The master's broker password comes from <c>METAI_MQTT_PASSWORD</c>.
/// </summary>
internal static class BridgeCommand
{
    public static Command Create()
    {
        var listen = new Option<string>("--listen") { Description = "Address and port the device's datagrams arrive on", DefaultValueFactory = _ => "127.0.0.1:9750" };
        var broker = new Option<string>("--broker") { Description = "The controller's broker: mqtt://host:port or mqtts://host:port", Required = true };
        var master = new Option<string>("--master") { Description = "Master ID (the broker account; password in METAI_MQTT_PASSWORD)", DefaultValueFactory = _ => "master1" };
        var robot = new Option<string>("--robot") { Description = "Robot name in the topics", DefaultValueFactory = _ => "metai-arm6" };
        var seconds = new Option<double>("--seconds") { Description = "Stop after this many seconds (0: until Ctrl+C)" };
        var udp = new Command("udp", "Relay a haptic device's UDP pose datagrams to the controller's broker; heartbeat while it sends; force back to it.")
        {
            listen, broker, master, robot, seconds,
        };
        udp.SetAction(parse =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output;
            return CommandErrors.Guard(parse.InvocationConfiguration.Error, () => RunAsync(
                parse.GetValue(listen)!, parse.GetValue(broker)!, parse.GetValue(master)!, parse.GetValue(robot)!, parse.GetValue(seconds), stdout).GetAwaiter().GetResult());
        });
        return new Command("bridge", "Bridges from physical master devices to the controller's MQTT topics.") { udp };
    }

    private static async Task<int> RunAsync(string listen, string broker, string master, string robot, double seconds, TextWriter stdout)
    {
        if (!IPEndPoint.TryParse(listen, out IPEndPoint? at) || at.Port == 0)
        {
            throw new ArgumentException($"--listen '{listen}' is not ADDRESS:PORT (e.g. 127.0.0.1:9750).");
        }

        string password = Environment.GetEnvironmentVariable("METAI_MQTT_PASSWORD")
            ?? throw new ArgumentException("set METAI_MQTT_PASSWORD to the master's broker password");
        await using var bridge = new UdpMasterBridge(new UdpMasterBridgeOptions
        {
            Listen = at,
            Broker = MqttEndpoint.Parse(broker, master, password),
            Robot = robot,
            MasterId = master,
        });
        await bridge.StartAsync().ConfigureAwait(false);
        stdout.WriteLine($"bridge: udp {bridge.LocalEndPoint} → {broker} as master '{master}' of {robot}; Ctrl+C to stop.");
        await UntilStopped.WaitAsync(seconds).ConfigureAwait(false);

        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bridge: {bridge.PosesRelayed} poses relayed, {bridge.Dropped} datagrams dropped, {bridge.HeartbeatsSent} heartbeats, {bridge.ForcesReturned} forces returned."));
        return 0;
    }
}
