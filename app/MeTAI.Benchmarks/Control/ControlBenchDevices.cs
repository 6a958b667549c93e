using System.Text.Json;
using MeTAI.Core.Geometry;
using MeTAI.Robotics.Kinematics;
using MeTAI.Robotics.Teleoperation;
using MeTAI.Robotics.Transport;
using MeTAI.Simulation;
using MeTAI.Simulation.Devices;
using MeTAI.Simulation.Haptics;
using MeTAI.Simulation.Serial;

namespace MeTAI.Benchmarks.Control;

/// <summary>
/// The devices of the control benchmark — embedded broker, pty servo chain, haptic master drawing the bench's circle, the
/// heartbeating e-stop button —
/// for a process of their own, so that the controller's process holds the controller alone: its garbage collector then
/// sees only the controller's allocations (its MQTT client), not the broker's and the twins', and the twins' threads do
/// not compete with the loop inside one runtime. On a real cell these devices are separate machines.
/// </summary>
public static class ControlBenchDevices
{
    /// <summary>The bench's master motion: a 2 cm circle (0.25 Hz) in the master's y–z plane, starting at <paramref name="home"/>.</summary>
    public static Func<double, Pose> Circle(Pose home) =>
        t => home with { Position = new Vec3(0, 0.02 * Math.Sin(2 * Math.PI * 0.25 * t), 0.02 * (Math.Cos(2 * Math.PI * 0.25 * t) - 1)) };

    /// <summary>
    /// Starts the devices, writes one JSON line to <paramref name="announce"/> (<see cref="ControlBenchDevicesInfo"/>:
    /// broker port, servo pty, accounts with their passwords — for the parent process, over a pipe, never on a command
    /// line) and runs until <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public static async Task RunAsync(RobotModel robot, TextWriter announce, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(robot);
        ArgumentNullException.ThrowIfNull(announce);
        IReadOnlyList<RigUser> users = RigUser.Generate();
        await using var broker = new EmbeddedBroker(new EmbeddedBrokerOptions
        {
            Robot = robot.Name,
            Users = [.. users.Select(u => MqttUser.Create(u.Name, u.Role, u.Password))],
        });
        await broker.StartAsync(cancellationToken).ConfigureAwait(false);
        using ServoChainTwin servos = SimulatedRig.StartServoTwin(robot);
        Pose home = SimulatedRig.MasterHomeFor(robot, new TeleopOptions());
        RigUser master1 = users.First(u => u.Name == "master1");
        await using var master = new HapticMasterTwin(new HapticMasterOptions
        {
            Broker = new MqttEndpoint { Host = "127.0.0.1", Port = broker.Port, UserName = master1.Name, Password = master1.Password },
            Robot = robot.Name,
            InitialPose = home,
        });
        await master.StartAsync(cancellationToken).ConfigureAwait(false);
        master.Follow(Circle(home));
        RigUser estopUser = users.First(u => u.Role == MqttRole.EStopButton);
        await using var estop = new EStopButtonTwin(
            new MqttEndpoint { Host = "127.0.0.1", Port = broker.Port, UserName = estopUser.Name, Password = estopUser.Password }, robot.Name);
        await estop.StartAsync(cancellationToken).ConfigureAwait(false);
        await announce.WriteLineAsync(JsonSerializer.Serialize(new ControlBenchDevicesInfo(broker.Port, servos.SlavePath, users))).ConfigureAwait(false);
        await announce.FlushAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Reads the line <see cref="RunAsync"/> announced; throws naming what is wrong.</summary>
    public static ControlBenchDevicesInfo Parse(string? line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            throw new InvalidOperationException("The devices process ended before announcing its broker port and servo pty.");
        }

        try
        {
            return JsonSerializer.Deserialize<ControlBenchDevicesInfo>(line)
                ?? throw new InvalidOperationException("The devices process announced null.");
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"The devices process announced something unreadable at byte {ex.BytePositionInLine}: {ex.Message}", ex);
        }
    }
}

/// <summary>What the devices process announces.</summary>
/// <param name="BrokerPort">Embedded broker's port on 127.0.0.1.</param>
/// <param name="ServoPath">The servo chain's pty (the controller opens it).</param>
/// <param name="Users">Broker accounts with their plain passwords.</param>
public sealed record ControlBenchDevicesInfo(int BrokerPort, string ServoPath, IReadOnlyList<RigUser> Users);
