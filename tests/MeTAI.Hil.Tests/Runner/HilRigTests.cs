using System.Reflection;
using MeTAI.Hil.Runner;
using MeTAI.Robotics.Control;
using MeTAI.Robotics.Hosting;
using MeTAI.Robotics.Kinematics;
using MeTAI.Robotics.Radiotherapy;
using MeTAI.Robotics.ServoBus;
using MeTAI.Robotics.Transport;
using MeTAI.Simulation;

namespace MeTAI.Hil.Tests.Runner;

public class HilRigTests
{
    private static ControllerHostOptions Required(RobotModel robot, string port) => new()
    {
        Robot = robot,
        Bus = new DynamixelBusOptions { PortName = port },
        Broker = new MqttEndpoint { Host = "127.0.0.1", Port = 1883, UserName = "controller", Password = "pw" },
    };

    [Fact]
    public void WithUnsafe_KeepsEveryOtherControllerOption()
    {
        // A negative run's controller differs from the positive run's by the removed safety function only: the copy must
        // carry every option, including ones added to ControllerHostOptions later (this test then asks for a value).
        RobotModel robot = TestRobots.Arm6();
        ControllerHostOptions required = Required(robot, "/dev/pts/7");
        var source = new ControllerHostOptions
        {
            Robot = required.Robot,
            Bus = required.Bus,
            Broker = required.Broker,
            MasterId = "master2",
            Controller = new ControllerOptions(),
            Teleop = new MeTAI.Robotics.Teleoperation.TeleopOptions(),
            ServoIo = new ServoIoOptions(),
            Ik = new IkOptions(),
            Corridor = SimulatedRig.CorridorAroundHome(robot),
            AuditPath = "/tmp/audit.jsonl",
            AuditTap = new AuditRecorder(),
            Beam = new BeamGateOptions(),
            NoGcRegionBytes = 2L << 20,
        };
        ControllerHostOptions defaults = Required(TestRobots.Arm6(), "/dev/pts/8");
        var removed = new UnsafeTestOptions { SkipJointLimitClamp = true };

        ControllerHostOptions copy = HilRig.WithUnsafe(source, removed);

        Assert.Same(removed, copy.Unsafe);
        foreach (PropertyInfo p in typeof(ControllerHostOptions).GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            if (p.Name == nameof(ControllerHostOptions.Unsafe))
            {
                continue;
            }

            object? value = p.GetValue(source);
            Assert.False(Equals(value, p.GetValue(defaults)), $"give {p.Name} a value other than its default here, so that a copy that drops it shows");
            Assert.Equal(value, p.GetValue(copy));
        }
    }
}
