using MeTAI.Robotics.Dynamixel;
using MeTAI.Robotics.ServoBus;
using MeTAI.Simulation.Serial;

namespace MeTAI.Simulation.Tests.Serial;

/// <summary>The wire's own faults against the controller's bus: a rogue talker, servos at another baud rate.</summary>
public sealed class WireFaultTests : IDisposable
{
    private readonly ServoChainTwin _twin;
    private readonly DynamixelBus _bus;

    public WireFaultTests()
    {
        _twin = new ServoChainTwin(new ServoChainOptions
        {
            Servos = [new ServoTwinOptions { Id = 1 }, new ServoTwinOptions { Id = 2 }],
            // These tests drive the servos themselves, without a controller to arm and feed a power relay.
            PowerRelay = null,
        });
        _twin.Start();
        _bus = new DynamixelBus(new DynamixelBusOptions { PortName = _twin.SlavePath, ReplyTimeoutMs = 50, Retries = 0 });
        _bus.Open();
    }

    public void Dispose()
    {
        _bus.Dispose();
        _twin.Dispose();
    }

    [Fact]
    public void RogueTalkerThatNeverStops_NothingCrossesTheWireUntilItEnds()
    {
        _twin.BeginRogueTalker(1.0);
        for (int i = 0; i < 5; i++)
        {
            Assert.False(_bus.Ping(1, out _, out _));
        }

        Assert.False(_bus.WriteByte(1, XmControlTable.TorqueEnable, 1, out _));
        Assert.False(_twin.Servo(1).TorqueEnabled); // the Write collided: no servo executed it
        Assert.True(_twin.Collisions >= 6, $"{_twin.Collisions} collisions");
        Assert.True(_twin.LastCollisionTicks > 0);
        Assert.Equal(0, _twin.Instructions);

        _twin.EndRogueTalker();
        Assert.True(Eventually(() => _bus.Ping(1, out _, out _)));
        Assert.True(Eventually(() => _bus.WriteByte(1, XmControlTable.TorqueEnable, 1, out _)));
        Assert.True(_twin.Servo(1).TorqueEnabled);
    }

    [Fact]
    public void RogueTalkerHalfTheTime_SomeTransactionsFailNoneIsActedOnGarbled()
    {
        _twin.BeginRogueTalker(0.5);
        int ok = 0;
        Span<byte> data = stackalloc byte[4];
        for (int i = 0; i < 200; i++)
        {
            if (_bus.Read(2, XmControlTable.GoalPosition, data, out _))
            {
                ok++;
                Assert.Equal(_twin.Servo(2).GoalCounts, BitConverter.ToInt32(data)); // what arrived whole is right
            }
        }

        _twin.EndRogueTalker();
        Assert.True(ok > 0 && ok < 200, $"{ok} of 200 reads came through");
        Assert.True(_twin.Collisions > 0);
    }

    [Fact]
    public void OneServoAtAnotherBaudRate_IsSilentToTheControllerAndObeysNothing()
    {
        _twin.SetBaudMismatch(0, true);
        Assert.False(_bus.Ping(1, out _, out _));
        Assert.True(Eventually(() => _bus.Ping(2, out _, out _)));
        Assert.False(_bus.WriteByte(1, XmControlTable.TorqueEnable, 1, out _));
        Assert.True(Eventually(() => _bus.Write(DynamixelInstruction.BroadcastId, XmControlTable.TorqueEnable, [1], out _) && _twin.Servo(2).TorqueEnabled));
        Assert.False(_twin.Servo(1).TorqueEnabled);

        _twin.SetBaudMismatch(0, false);
        Assert.True(Eventually(() => _bus.Ping(1, out _, out _)));
    }

    [Fact]
    public void WholeChainAtAnotherBaudRate_NoServoAnswersNoneObeys()
    {
        _twin.SetBaudMismatch(null, true);
        Assert.False(_bus.Ping(1, out _, out _));
        Assert.False(_bus.Ping(2, out _, out _));
        _bus.WriteByte(DynamixelInstruction.BroadcastId, XmControlTable.TorqueEnable, 1, out _);
        Assert.True(_bus.Statistics.Timeouts >= 2);
        Assert.DoesNotContain(_twin.Servos, s => s.TorqueEnabled);
        _twin.ClearFaults();
        foreach (XmServoTwin s in _twin.Servos)
        {
            s.ResetFaults();
        }

        Assert.True(Eventually(() => _bus.Ping(1, out _, out _)));
        Assert.True(Eventually(() => _bus.Ping(2, out _, out _)));
    }

    // A positive check on a loaded machine: the twin's thread may miss one 50 ms reply window; it must not miss ten.
    private static bool Eventually(Func<bool> check)
    {
        for (int i = 0; i < 10; i++)
        {
            if (check())
            {
                return true;
            }

            Thread.Sleep(20);
        }

        return false;
    }
}
