using System.Diagnostics;
using MeTAI.Robotics.Safety;
using MeTAI.Robotics.ServoBus;
using MeTAI.Simulation.Serial;

namespace MeTAI.Simulation.Tests.Serial;

/// <summary>
/// The watchdog power relay board on the servo bus against the controller's real servo IO over a pty: its own codec
/// checked against the ROBOTIS e-manual's packet examples and the controller's encoder, arming and feeding, the feed
/// stopping (torque off, the IO thread gone), the wired e-stop loop and welded contacts.
/// </summary>
public class PowerRelayTwinTests
{
    private static readonly ServoIoOptions Defaults = new();

    // ROBOTIS e-manual, Protocol 2.0: the Ping instruction to ID 1, and a Read of Present Position (132, 4 bytes) from ID 1.
    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFD, 0x00, 0x01, 0x03, 0x00, 0x01, 0x19, 0x4E }, 0x01, 0)]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFD, 0x00, 0x01, 0x07, 0x00, 0x02, 0x84, 0x00, 0x04, 0x00, 0x1D, 0x15 }, 0x02, 4)]
    public void Codec_EManualInstructionPackets_Decoded(byte[] packet, byte instruction, int parameters)
    {
        var codec = new RelayBoardCodec();
        RelayBoardPacket decoded = default;
        int completed = packet.Count(b => codec.Push(b, out decoded));
        Assert.Equal(1, completed);
        Assert.Equal(1, decoded.Id);
        Assert.Equal(instruction, decoded.Instruction);
        Assert.Equal(parameters, decoded.Parameters.Length);
        Assert.Equal(0, codec.CrcErrors);
    }

    // ROBOTIS e-manual, Protocol 2.0: the status packet of an XM430 (model 1030, firmware 38) answering Ping.
    [Fact]
    public void Codec_EManualPingStatus_EncodedByteForByte()
    {
        byte[] expected = [0xFF, 0xFF, 0xFD, 0x00, 0x01, 0x07, 0x00, 0x55, 0x00, 0x06, 0x04, 0x26, 0x65, 0x5D];
        byte[] actual = new byte[32];
        int n = RelayBoardCodec.WriteStatus(actual, 1, 0, [0x06, 0x04, 0x26]);
        Assert.Equal(expected, actual[..n]);
    }

    [Fact]
    public void Codec_ControllerWriteWithStuffing_DecodedAndCorruptionDropped()
    {
        // The controller's encoder (another implementation) stuffs FF FF FD in the data; the board must unstuff it.
        byte[] frame = new byte[64];
        byte[] scratch = new byte[64];
        int n = DynamixelBus.BuildWrite(frame, 100, 24, [0xFF, 0xFF, 0xFD, 0x07], scratch);
        var codec = new RelayBoardCodec();
        RelayBoardPacket decoded = default;
        Assert.Equal(1, frame[..n].Count(b => codec.Push(b, out decoded)));
        Assert.Equal(new byte[] { 24, 0, 0xFF, 0xFF, 0xFD, 0x07 }, decoded.Parameters);

        frame[n - 4] ^= 0x01;
        Assert.Equal(0, frame[..n].Count(b => codec.Push(b, out _)));
        Assert.Equal(1, codec.CrcErrors);
    }

    [Fact]
    public async Task PowerUp_ArmsAndFeeds_TorqueOffCutsPowerWithinTRelay()
    {
        using ServoChainTwin twin = Chain();
        twin.Start();
        Assert.False(twin.Relay!.PowerOn);
        using ServoIo io = PoweredIo(twin);
        using var loop = new GoalWriter(io);
        await Wait(() => io.Relay.ReadTicks != 0 && io.Relay.PowerOn);
        Assert.True(twin.Relay.Feeds > 0);
        Assert.All(twin.Servos, s => Assert.True(s.MotorPowered && s.TorqueEnabled));

        io.TorqueOffNow();
        await Wait(() => !twin.Relay.PowerOn);
        RelayTrip trip = twin.Relay.LastTrip!;
        Assert.Equal(RelayTripCause.FeedTimeout, trip.Cause);
        Assert.InRange(trip.FeedToPowerOffMs, twin.Relay.FeedTimeoutMs - 0.01, Defaults.RelayOffMs);
        await Wait(() => !io.Relay.PowerOn);
        Assert.Null(io.Relay.StuckDetail);
    }

    [Fact]
    public async Task IoThreadGone_FeedStops_PowerOffWithinTRelayAndNothingMovesAfter()
    {
        using ServoChainTwin twin = Chain();
        twin.Start();
        ServoIo io = PoweredIo(twin);
        var loop = new GoalWriter(io, goalCounts: 40_000);
        await Wait(() => twin.Servo(1).PresentCounts > 2100);

        // The controller dies mid-motion: nobody writes torque off, the feed just stops.
        loop.Dispose();
        io.Stop();
        long killed = Stopwatch.GetTimestamp();
        await Wait(() => !twin.Relay!.PowerOn);
        RelayTrip trip = twin.Relay!.LastTrip!;
        Assert.Equal(RelayTripCause.FeedTimeout, trip.Cause);
        Assert.True(trip.LastFeedTicks <= killed, "a feed after the IO thread stopped");
        Assert.InRange(trip.FeedToPowerOffMs, twin.Relay.FeedTimeoutMs - 0.01, Defaults.RelayOffMs);

        int[] atPowerOff = [.. twin.Servos.Select(s => s.PresentCounts)];
        Assert.All(twin.Servos, s => Assert.False(s.TorqueEnabled));
        await Task.Delay(200);
        Assert.Equal(atPowerOff, twin.Servos.Select(s => s.PresentCounts));
        Assert.True(atPowerOff[0] > 2100 && atPowerOff[0] < 40_000, "the servo was still moving when power went off");
        io.Dispose();
    }

    [Fact]
    public async Task EStopLoopOpened_PowerOffAtOnceReadBackOpenAndPowerUpRefused()
    {
        using ServoChainTwin twin = Chain(relaxedMs: 1000);
        twin.Start();
        using ServoIo io = PoweredIo(twin);
        using var loop = new GoalWriter(io);

        twin.Relay!.OpenEStopLoop(true);
        Assert.False(twin.Relay.PowerOn);
        Assert.Equal(RelayTripCause.EStopLoopOpen, twin.Relay.LastTrip!.Cause);
        Assert.All(twin.Servos, s => Assert.False(s.TorqueEnabled));
        await Wait(() => !io.Relay.EStopLoopClosed && !io.Relay.PowerOn);

        io.TorqueOffNow();
        io.RequestPowerUp();
        await Wait(() => io.PowerUp == PowerUpStatus.Failed);
        Assert.Contains("wired e-stop loop is open", io.PowerUpFailure, StringComparison.Ordinal);

        // Closing the loop again restores nothing by itself: the board stays off until armed.
        twin.Relay.OpenEStopLoop(false);
        await Task.Delay(100);
        Assert.False(twin.Relay.PowerOn);
    }

    [Fact]
    public async Task ContactsWelded_StuckClosedLatchedAndPowerUpRefused()
    {
        using ServoChainTwin twin = Chain(relaxedMs: 1000);
        twin.Start();
        using ServoIo io = PoweredIo(twin);
        using var loop = new GoalWriter(io);
        twin.Relay!.WeldContacts(true);

        io.TorqueOffNow();
        await Wait(() => io.Relay.StuckDetail is not null);
        Assert.Contains("stuck closed", io.Relay.StuckDetail, StringComparison.Ordinal);
        Assert.True(twin.Relay.PowerOn);

        io.RequestPowerUp();
        await Wait(() => io.PowerUp == PowerUpStatus.Failed);
        Assert.Contains("stuck closed", io.PowerUpFailure, StringComparison.Ordinal);
        Assert.Contains("refusing to power up", io.PowerUpFailure, StringComparison.Ordinal);
    }

    // relaxedMs: the relay's watchdog for tests about the e-stop loop and the contacts, not its timing (an IO thread
    // descheduled for 45 ms on the loaded machine would trip it first); null: the shipped 45 ms.
    private static ServoChainTwin Chain(double? relaxedMs = null) => new(new ServoChainOptions
    {
        Servos = [.. Enumerable.Range(1, 3).Select(i => new ServoTwinOptions { Id = (byte)i, InitialPositionCounts = 2048 })],
        PowerRelay = new PowerRelayOptions { FeedTimeoutMs = relaxedMs ?? 45 },
    });

    // A started servo IO on the twin, powered up (relay armed and fed, torque on).
    private static ServoIo PoweredIo(ServoChainTwin twin)
    {
        double relayOffMs = twin.Relay!.FeedTimeoutMs + 5;
        // The stand-in loop below is a test thread at normal priority on a loaded machine: a stall of it is not what these
        // tests are about, so the loop-stall bound is relaxed; the relay's own watchdog and T_relay keep their defaults.
        var io = new ServoIo(new DynamixelBus(new DynamixelBusOptions { PortName = twin.SlavePath, ReplyTimeoutMs = 100 }), [1, 2, 3],
            new ServoIoOptions { LoopStallMs = 500, RelayOffMs = relayOffMs });
        io.Start();
        io.RequestPowerUp();
        var sw = Stopwatch.StartNew();
        while (io.PowerUp == PowerUpStatus.Running && sw.ElapsedMilliseconds < 10_000)
        {
            Thread.Sleep(5);
        }

        Assert.True(io.PowerUp == PowerUpStatus.Ready, io.PowerUpFailure);
        return io;
    }

    private static Task Wait(Func<bool> condition) => SimulatedRig.WaitUntilAsync(condition, TimeSpan.FromSeconds(10));

    // Stands in for the control loop: a goal every millisecond, as the loop writes one every cycle (the relay is fed
    // only while it does).
    private sealed class GoalWriter : IDisposable
    {
        private readonly Thread _thread;
        private volatile bool _running = true;

        public GoalWriter(ServoIo io, int goalCounts = 2048)
        {
            int[] goals = [goalCounts, goalCounts, goalCounts];
            _thread = new Thread(() =>
            {
                long cycle = 0;
                while (_running)
                {
                    io.Commands.WriteGoals(goals, motion: true, new CommandStamp(++cycle, 0, 0));
                    Thread.Sleep(1);
                }
            })
            { IsBackground = true };
            _thread.Start();
        }

        public void Dispose()
        {
            _running = false;
            _thread.Join();
        }
    }
}
