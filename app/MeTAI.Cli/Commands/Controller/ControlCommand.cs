using System.CommandLine;
using System.Text.Json;
using MeTAI.Core.IO;
using MeTAI.Core.Trajectories;
using MeTAI.Robotics.Control;
using MeTAI.Robotics.Hosting;
using MeTAI.Robotics.Kinematics;
using MeTAI.Robotics.ServoBus;
using MeTAI.Robotics.Transport;

namespace MeTAI.Cli.Commands.Controller;

/// <summary>
/// <c>metai control --robot FILE [--broker embedded|mqtt://host:port|mqtts://host:port] --serial PATH</c>: runs the
/// controller until Ctrl+C (or <c>--seconds</c>). The controller's broker password comes from the environment
/// (<c>METAI_MQTT_PASSWORD</c>), never from the command line; with the embedded broker the accounts come from
/// <c>--users FILE</c> (PBKDF2 hashes) and the controller's own account is generated for the session. An e-stop device
/// (an account with role <c>estopButton</c>) must heartbeat its state on <c>metai/v1/{robot}/estop/device</c> at least every
/// 250 ms (<see cref="ControllerOptions.EStopWatchdogMs"/>; 50 ms is the rate docs/mqtt-topics.md asks for): without it
/// the controller refuses power-up, and when it falls silent the controller latches EStop with torque off.
/// </summary>
internal static class ControlCommand
{
    /// <summary>
    /// Default size of the no-GC region opened while the arm is still (MiB; 0 turns it off): the controller process
    /// allocates ~3.5 MB/s (System.IO.Ports requests, MQTTnet packets; measured with bench control --gc-trace), so 1 GiB
    /// is about five minutes of motion without a collection, renewed at every still moment.
    /// </summary>
    public const int DefaultNoGcRegionMb = 1024;

    /// <summary>The default robot, <c>configs/robots/metai-arm6.json</c> (<see cref="ConfigFiles"/>).</summary>
    public static string DefaultRobotPath() => ConfigFiles.PathOf("robots", "metai-arm6.json");

    /// <summary><c>--no-gc-region-mb</c>, shared by <c>control</c> and <c>bench control</c>.</summary>
    public static Option<int> NoGcRegionOption() => new("--no-gc-region-mb")
    {
        Description = "While the arm is still, set this many MiB aside so that motion runs without a garbage collection until it is spent (0: off)",
        DefaultValueFactory = _ => DefaultNoGcRegionMb,
    };

    /// <summary>The region in bytes, or null when <paramref name="mb"/> is 0.</summary>
    public static long? NoGcRegionBytes(int mb) => mb switch
    {
        0 => null,
        >= 16 and <= 4096 => mb * (1L << 20),
        _ => throw new ArgumentException("--no-gc-region-mb must be 0 (off) or 16-4096"),
    };

    public static Command Create()
    {
        var robot = new Option<string>("--robot") { Description = "Robot file (configs/robots/*.json)", Required = true };
        var broker = new Option<string>("--broker") { Description = "embedded (default), mqtt://host:port or mqtts://host:port", DefaultValueFactory = _ => "embedded" };
        var port = new Option<int>("--port") { Description = "Port of the embedded broker", DefaultValueFactory = _ => 1883 };
        var serial = new Option<string>("--serial") { Description = "Serial device of the servo bus (e.g. /dev/ttyUSB0)", Required = true };
        var baud = new Option<int>("--baud") { Description = "Baud rate", DefaultValueFactory = _ => 1_000_000 };
        var users = new Option<string?>("--users") { Description = "Embedded broker accounts: JSON [{\"name\",\"role\",\"passwordHash\"}]" };
        var user = new Option<string>("--mqtt-user") { Description = "Controller's user name on an external broker", DefaultValueFactory = _ => "controller" };
        var master = new Option<string>("--master") { Description = "Registered haptic master ID", DefaultValueFactory = _ => "master1" };
        var teleopKey = new Option<string?>("--teleop-key") { Description = "Key file of the service's short-lived console credentials (created if missing): the embedded broker then admits the browser console as a master (docs/service.md)" };
        var corridor = new Option<string?>("--corridor") { Description = "Rehearsal corridor JSON (patient LPS mm) for the virtual fixture" };
        var audit = new Option<string>("--audit") { Description = "Audit log file", DefaultValueFactory = _ => Path.Combine("out", "audit", "controller.jsonl") };
        var seconds = new Option<double>("--seconds") { Description = "Stop after this many seconds (0: until Ctrl+C)" };
        var rt = new Option<bool>("--rt") { Description = "SCHED_FIFO for the loop (80) and servo IO (70) threads (needs CAP_SYS_NICE; falls back silently)" };
        var noGc = NoGcRegionOption();
        var command = new Command("control", "Run the robot controller (1 kHz loop, safety supervisor, MQTT + serial). An e-stop device must publish its state on metai/v1/{robot}/estop/device every 50 ms: after 250 ms of silence the controller latches EStop, and it refuses power-up until the device heartbeats.")
        {
            robot, broker, port, serial, baud, users, user, master, teleopKey, corridor, audit, seconds, rt, noGc,
        };
        command.SetAction(parse =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output;
            return CommandErrors.Guard(parse.InvocationConfiguration.Error, () => RunAsync(
                parse.GetValue(robot)!, parse.GetValue(broker)!, parse.GetValue(port), parse.GetValue(serial)!, parse.GetValue(baud),
                parse.GetValue(users), parse.GetValue(user)!, parse.GetValue(master)!, parse.GetValue(teleopKey), parse.GetValue(corridor), parse.GetValue(audit)!,
                parse.GetValue(seconds), parse.GetValue(rt), NoGcRegionBytes(parse.GetValue(noGc)), stdout).GetAwaiter().GetResult());
        });
        return command;
    }

    private static async Task<int> RunAsync(string robotPath, string broker, int port, string serial, int baud, string? usersPath,
        string mqttUser, string masterId, string? teleopKeyPath, string? corridorPath, string auditPath, double seconds, bool realtime, long? noGcRegionBytes, TextWriter stdout)
    {
        RobotModel model = RobotConfigJson.Load(robotPath);
        Corridor? corridor = corridorPath is null ? null : CorridorJson.Parse(File.ReadAllText(corridorPath), corridorPath);
        EmbeddedBroker? embedded = null;
        MqttEndpoint endpoint;
        if (broker == "embedded")
        {
            string controllerPassword = MqttUser.RandomPassword();
            var accounts = new List<MqttUser> { MqttUser.Create("controller", MqttRole.Controller, controllerPassword) };
            if (usersPath is not null)
            {
                accounts.AddRange(LoadUsers(usersPath));
            }
            else if (teleopKeyPath is null)
            {
                stdout.WriteLine("control: no --users file: only the controller has an account, so no master can connect (the arm stays Disabled/holding).");
            }

            embedded = new EmbeddedBroker(new EmbeddedBrokerOptions
            {
                Robot = model.Name,
                Users = accounts,
                Port = port,
                MasterTokenKey = teleopKeyPath is null ? null : MasterTokenKey.LoadOrCreate(teleopKeyPath),
                Log = line => stdout.WriteLine("control: broker " + line),
            });
            await embedded.StartAsync().ConfigureAwait(false);
            endpoint = new MqttEndpoint { Host = "127.0.0.1", Port = embedded.Port, UserName = "controller", Password = controllerPassword };
        }
        else
        {
            if (teleopKeyPath is not null)
            {
                throw new ArgumentException("--teleop-key works with the embedded broker only (an external broker has its own accounts)");
            }

            string password = Environment.GetEnvironmentVariable("METAI_MQTT_PASSWORD")
                ?? throw new ArgumentException("set METAI_MQTT_PASSWORD to the controller's broker password");
            endpoint = MqttEndpoint.Parse(broker, mqttUser, password);
        }

        try
        {
            await using var host = new ControllerHost(new ControllerHostOptions
            {
                Robot = model,
                Bus = new DynamixelBusOptions { PortName = serial, BaudRate = baud },
                Broker = endpoint,
                MasterId = masterId,
                Corridor = corridor,
                AuditPath = auditPath,
                // The loop's own collections would end a no-GC region: one or the other.
                Controller = new ControllerOptions { GcSlotBudgetBytes = noGcRegionBytes is null ? ControllerProcess.Gen0Bytes() : null, UseRealtimeScheduling = realtime },
                ServoIo = new ServoIoOptions { UseRealtimeScheduling = realtime },
                NoGcRegionBytes = noGcRegionBytes,
            });
            await host.StartAsync().ConfigureAwait(false);
            stdout.WriteLine($"control: {model.Name} ({model.JointCount} joints) on {serial}, broker {endpoint}, topics {host.Topics.Root}/…, audit {auditPath}; Ctrl+C to stop.");
            await UntilStopped.WaitAsync(seconds).ConfigureAwait(false);

            stdout.WriteLine($"control: stopping in {host.State}; torque off.");
        }
        finally
        {
            if (embedded is not null)
            {
                await embedded.DisposeAsync().ConfigureAwait(false);
            }
        }

        return 0;
    }

    private static IEnumerable<MqttUser> LoadUsers(string path)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
        foreach (JsonElement u in doc.RootElement.EnumerateArray())
        {
            string role = u.GetProperty("role").GetString() ?? "";
            yield return new MqttUser
            {
                Name = u.GetProperty("name").GetString() ?? throw new FormatException($"{path}: a user lacks a name"),
                Role = Enum.Parse<MqttRole>(role, ignoreCase: true),
                PasswordHash = u.GetProperty("passwordHash").GetString() ?? throw new FormatException($"{path}: a user lacks passwordHash"),
            };
        }
    }
}
