using MeTAI.Robotics.Safety;
using MeTAI.Robotics.ServoBus;
using MeTAI.Simulation.Serial;

namespace MeTAI.Simulation.Tests.Serial;

public class ServoIoOverPtyTests
{
    private static ServoChainTwin Chain(int count) => new(new ServoChainOptions
    {
        Servos = [.. Enumerable.Range(1, count).Select(i => new ServoTwinOptions { Id = (byte)i, InitialPositionCounts = 2000 + i })],
    });

    [Fact]
    public async Task PowerUp_SixServos_TorqueOnAtPresentPosition()
    {
        using ServoChainTwin twin = Chain(6);
        twin.Start();
        using var io = new ServoIo(new DynamixelBus(new DynamixelBusOptions { PortName = twin.SlavePath, ReplyTimeoutMs = 100 }), [1, 2, 3, 4, 5, 6]);
        io.Start();
        io.RequestPowerUp();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (io.PowerUp == PowerUpStatus.Running && sw.ElapsedMilliseconds < 5000)
        {
            await Task.Delay(5);
        }

        Assert.True(io.PowerUp == PowerUpStatus.Ready, io.PowerUpFailure + $" timeouts {io.BusStatistics.Timeouts}");
        Assert.All(twin.Servos, s => Assert.True(s.TorqueEnabled));
        Assert.Equal(2003, io.PowerUpPositions[2]);

        // Goals written through the slot reach the servos; torque off bypasses the slot.
        int[] goals = [2100, 2100, 2100, 2100, 2100, 2100];
        io.Commands.WriteGoals(goals, motion: true, new CommandStamp(1, 0, 0));
        await RigWait(() => twin.Servo(1).GoalCounts == 2100);
        io.TorqueOffNow();
        await RigWait(() => twin.Servos.All(s => !s.TorqueEnabled));
        Assert.True(io.TorqueOffCount >= 1);
    }

    [Fact]
    public async Task TorqueOff_WhileASyncReadWaitsOnMutedServos_PreemptsItAndIsTheNextPacket()
    {
        // Replies muted, writes obeyed (a broken transmit line): every Sync Read waits out a 1 s reply timeout and two
        // retries. Torque off must not queue behind that, nor be written by a second writer: the IO thread gives the
        // read up at the wire's first quiet moment and writes torque off next. No power relay: with every read muted the
        // IO thread cannot feed it for seconds, and the relay's power cut would turn torque off before the write (the
        // wait below then ended before the IO thread had written anything; the test failed so about one run in two).
        using ServoChainTwin twin = new(new ServoChainOptions
        {
            Servos = [.. Enumerable.Range(1, 6).Select(i => new ServoTwinOptions { Id = (byte)i, InitialPositionCounts = 2000 + i })],
            PowerRelay = null,
        });
        twin.Start();
        using var io = new ServoIo(new DynamixelBus(new DynamixelBusOptions { PortName = twin.SlavePath, ReplyTimeoutMs = 1000 }), [1, 2, 3, 4, 5, 6],
            new ServoIoOptions { PowerRelayId = null });
        io.Start();
        io.RequestPowerUp();
        await RigWait(() => io.PowerUp != PowerUpStatus.Running);
        Assert.True(io.PowerUp == PowerUpStatus.Ready, io.PowerUpFailure);

        twin.MuteReads(true);
        long transactions = io.BusStatistics.Transactions;
        await RigWait(() => io.BusStatistics.Transactions > transactions + 1);
        long timeouts = io.BusStatistics.Timeouts;
        Assert.All(twin.Servos, s => Assert.True(s.TorqueEnabled && s.MotorPowered));

        io.TorqueOffNow();
        await RigWait(() => io.TorqueOffCount >= 1 && twin.Servos.All(s => !s.TorqueEnabled));
        Assert.All(twin.Servos, s => Assert.True(s.MotorPowered, "torque went off with servo power, not by the write"));

        Assert.True(io.BusStatistics.SafetyPreemptions >= 1, $"{io.BusStatistics.SafetyPreemptions} preemptions");
        Assert.Equal(timeouts, io.BusStatistics.Timeouts);
        Assert.Equal(1, io.TorqueOffLatency.Count);
        // The requirement, not a speed figure: without preemption the write would wait out the 1 s reply timeout.
        Assert.True(io.TorqueOffLatency.MaxUs < 1_000_000, $"torque off {io.TorqueOffLatency.MaxUs:F0} µs after the request");
    }

    private static Task RigWait(Func<bool> condition) => SimulatedRig.WaitUntilAsync(condition, TimeSpan.FromSeconds(5));
}
