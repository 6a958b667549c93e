using System.Buffers.Binary;
using MeTAI.Robotics.Dynamixel;
using MeTAI.Robotics.ServoBus;
using MeTAI.Simulation.Serial;

namespace MeTAI.Simulation.Tests.Serial;

public sealed class DynamixelBusOverPtyTests : IDisposable
{
    private readonly ServoChainTwin _twin;
    private readonly DynamixelBus _bus;

    public DynamixelBusOverPtyTests()
    {
        _twin = new ServoChainTwin(new ServoChainOptions
        {
            Servos = [new ServoTwinOptions { Id = 1, InitialPositionCounts = 1000 }, new ServoTwinOptions { Id = 2, InitialPositionCounts = 3000 }],
            // These tests drive the servos themselves, without a controller to arm and feed a power relay.
            PowerRelay = null,
        });
        _twin.Start();
        _bus = new DynamixelBus(new DynamixelBusOptions { PortName = _twin.SlavePath, ReplyTimeoutMs = 100 });
        _bus.Open();
    }

    public void Dispose()
    {
        _bus.Dispose();
        _twin.Dispose();
    }

    [Fact]
    public void OverlappingBusCuts_TheBusComesBackOnlyWhenTheLastEnds()
    {
        // Campaign run seed 2061514891: a 145 ms cut inside a 406 ms one; the short one's end brought the bus back,
        // so the long one never lasted long enough to fault the arm.
        _twin.BeginSilence();
        _twin.BeginSilence();
        _twin.EndSilence();
        Assert.True(_twin.IsSilent);
        Assert.False(_bus.Ping(1, out _, out _));
        _twin.EndSilence();
        Assert.False(_twin.IsSilent);
        Assert.True(_bus.Ping(1, out _, out _));
    }

    [Fact]
    public void SyncReadOfVelocityAndPosition_AMovingServoReportsItsSpeedAStillOneZero()
    {
        // Present Velocity (128, 0.229 rev/min units) is followed by Present Position (132): one 8-byte Sync Read gets both.
        Assert.True(_bus.WriteByte(1, XmControlTable.TorqueEnable, 1, out _));
        Span<byte> goal = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(goal, 3000);
        Assert.True(_bus.Write(1, XmControlTable.GoalPosition, goal, out _));
        Span<byte> all = stackalloc byte[16];
        Span<byte> errors = stackalloc byte[2];
        Span<bool> received = stackalloc bool[2];
        int movingReads = 0;
        for (int i = 0; i < 2000; i++)
        {
            Assert.Equal(2, _bus.SyncRead(XmControlTable.PresentVelocity, 8, [1, 2], all, errors, received));
            int velocity1 = BinaryPrimitives.ReadInt32LittleEndian(all);
            int position1 = BinaryPrimitives.ReadInt32LittleEndian(all[4..]);
            // Toward a larger goal: never a negative speed; servo 2 has no torque and stays put.
            Assert.True(velocity1 >= 0, $"servo 1 moves toward a larger goal but reports velocity {velocity1}");
            Assert.Equal(0, BinaryPrimitives.ReadInt32LittleEndian(all[8..]));
            Assert.Equal(3000, BinaryPrimitives.ReadInt32LittleEndian(all[12..]));
            movingReads += position1 is > 1000 and < 2900 && velocity1 > 0 ? 1 : 0;
            if (position1 >= 2900)
            {
                break;
            }

            Thread.Sleep(1);
        }

        Assert.True(movingReads > 0, "no reading on the way reported the servo's speed");
    }

    [Fact]
    public void MuteReads_WritesStillLandButNoReadIsAnswered()
    {
        // The servoFeedbackStale fault: a broken transmit line. Goals still arrive; the controller's readings go stale.
        _twin.MuteReads(true);
        Span<byte> data = stackalloc byte[4];
        Assert.False(_bus.Read(1, XmControlTable.PresentPosition, data, out _));
        Span<byte> all = stackalloc byte[8];
        Span<byte> errors = stackalloc byte[2];
        Span<bool> received = stackalloc bool[2];
        Assert.Equal(0, _bus.SyncRead(XmControlTable.PresentPosition, 4, [1, 2], all, errors, received));
        Assert.True(_bus.WriteByte(1, XmControlTable.TorqueEnable, 1, out _));
        Assert.True(_twin.Servos[0].TorqueEnabled);
        _twin.MuteReads(false);
        Assert.True(_bus.Read(1, XmControlTable.PresentPosition, data, out _));
    }

    [Fact]
    public void RetryUntilTicks_Passed_AnUnansweredReadIsNotRetried_SoTheRelaysReadBackIsNotHeldUp()
    {
        // Servos that answer no read: each attempt waits out the reply timeout. With the owner's bound passed (the power
        // relay's read-back is due), only the first attempt goes out; without a bound, all 1 + Retries.
        _twin.MuteReads(true);
        Span<byte> data = stackalloc byte[4];
        long retries = _bus.Statistics.Retries;
        _bus.RetryUntilTicks = 1;
        Assert.False(_bus.Read(1, XmControlTable.PresentPosition, data, out _));
        Assert.Equal(retries, _bus.Statistics.Retries);
        _bus.RetryUntilTicks = 0;
        Assert.False(_bus.Read(1, XmControlTable.PresentPosition, data, out _));
        Assert.Equal(retries + new DynamixelBusOptions().Retries, _bus.Statistics.Retries);
        _twin.MuteReads(false);
    }

    [Fact]
    public void Bus_OnLinux_UsesItsOwnDescriptor()
    {
        // System.IO.Ports moves every byte through its own I/O thread; the bus's descriptor moves them on the caller's.
        Assert.Equal(OperatingSystem.IsLinux(), _bus.HasOwnDescriptor);
    }

    [Fact]
    public void UnnamedBaudRate_IsRefusedWithTheRatesItKnows()
    {
        var e = Assert.Throws<ArgumentException>(() => new DynamixelBus(new DynamixelBusOptions { PortName = _twin.SlavePath, BaudRate = 1_234_567 }));
        Assert.Contains("1234567 baud", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SystemIoPorts_StillCarriesTheBus()
    {
        // The link elsewhere than Linux, and on Linux when asked for.
        using var bus = new DynamixelBus(new DynamixelBusOptions { PortName = _twin.SlavePath, OwnDescriptor = false });
        bus.Open();
        Assert.False(bus.HasOwnDescriptor);
        Assert.True(bus.Ping(1, out ushort model, out _));
        Assert.Equal(1030, model);
    }

    [Fact]
    public void Ping_ExistingServo_ReturnsXm430ModelAndFirmware()
    {
        Assert.True(_bus.Ping(1, out ushort model, out byte firmware));
        Assert.Equal(XmControlTable.XM430W210Model, model);
        Assert.Equal(0x26, firmware);
        Assert.False(_bus.Ping(9, out _, out _));
    }

    [Fact]
    public void WriteThenRead_TorqueAndWatchdog_RoundTrip()
    {
        Assert.True(_bus.WriteByte(1, XmControlTable.BusWatchdog, 0, out byte e0));
        Assert.Equal(0, e0);
        Assert.True(_bus.WriteByte(1, XmControlTable.TorqueEnable, 1, out byte e1));
        Assert.Equal(0, e1);
        Span<byte> one = stackalloc byte[1];
        Assert.True(_bus.Read(1, XmControlTable.TorqueEnable, one, out _));
        Assert.Equal(1, one[0]);
        Assert.True(_twin.Servo(1).TorqueEnabled);
    }

    [Fact]
    public void SyncRead_PresentPositions_ReadsEveryServo()
    {
        byte[] ids = [1, 2];
        byte[] data = new byte[8];
        byte[] errors = new byte[2];
        bool[] received = new bool[2];
        Assert.Equal(2, _bus.SyncRead(XmControlTable.PresentPosition, 4, ids, data, errors, received));
        Assert.Equal(1000, BinaryPrimitives.ReadInt32LittleEndian(data));
        Assert.Equal(3000, BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(4)));
    }

    [Fact]
    public void SyncWrite_Goals_MoveServosWithTorqueOn()
    {
        Assert.True(_bus.WriteByte(1, XmControlTable.TorqueEnable, 1, out _));
        byte[] goals = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(goals, 1100);
        BinaryPrimitives.WriteInt32LittleEndian(goals.AsSpan(4), 3100);
        _bus.SyncWrite(XmControlTable.GoalPosition, 4, [1, 2], goals);
        Thread.Sleep(300);
        Assert.Equal(1100, _twin.Servo(1).GoalCounts);
        Assert.InRange(_twin.Servo(1).PresentCounts, 1095, 1105);
        // Servo 2 has torque off: its goal is stored but it does not move.
        Assert.Equal(3000, _twin.Servo(2).PresentCounts);
    }

    [Fact]
    public void CorruptedReply_IsDroppedAndCounted_RetrySucceeds()
    {
        _twin.CorruptNextBytes(12);
        Assert.True(_bus.Ping(2, out ushort model, out _));
        Assert.Equal(XmControlTable.XM430W210Model, model);
        Assert.True(_bus.Statistics.CrcErrors >= 1 || _bus.Statistics.Timeouts >= 1);
        Assert.True(_bus.Statistics.Retries >= 1);
    }

    [Fact]
    public void ReplyFailingItsCrc_IsGivenUpWhenTheWireGoesQuiet_NotWaitedOutAsATimeout()
    {
        // One device answers a request: a reply that failed its CRC was the answer, and waiting the 100 ms reply timeout
        // for another would only delay the retry (campaign seed 57929711: a burst of corrupted replies held the relay's
        // read-back, and the wired e-stop's detection, for 30 ms at the 10 ms default).
        _twin.CorruptNextReplies(2);
        Span<byte> position = stackalloc byte[4];
        Assert.True(_bus.Read(1, XmControlTable.PresentPosition, position, out _));
        Assert.Equal(1000, BinaryPrimitives.ReadInt32LittleEndian(position));
        Assert.Equal(2, _bus.Statistics.CrcErrors);
        Assert.Equal(2, _bus.Statistics.LostToCrc);
        Assert.Equal(0, _bus.Statistics.Timeouts);
        Assert.Equal(2, _bus.Statistics.Retries);
    }

    [Fact]
    public void SyncRead_OneReplyFailingItsCrc_GivenUpOnceBothAnswered_RetryGetsBoth()
    {
        _twin.CorruptNextReplies(1);
        Span<byte> data = stackalloc byte[8];
        Span<byte> errors = stackalloc byte[2];
        Span<bool> received = stackalloc bool[2];
        Assert.Equal(2, _bus.SyncRead(XmControlTable.PresentPosition, 4, [1, 2], data, errors, received));
        Assert.Equal(1000, BinaryPrimitives.ReadInt32LittleEndian(data));
        Assert.Equal(3000, BinaryPrimitives.ReadInt32LittleEndian(data[4..]));
        Assert.Equal(1, _bus.Statistics.LostToCrc);
        Assert.Equal(0, _bus.Statistics.Timeouts);
    }

    [Fact]
    public void SyncRead_OneServoSilent_StillWaitsForIt_TimeoutCounted()
    {
        // Fewer replies than devices asked: the missing one may still come, so the reply timeout stands.
        _twin.Servo(2).SetResponding(false);
        Span<byte> data = stackalloc byte[8];
        Span<byte> errors = stackalloc byte[2];
        Span<bool> received = stackalloc bool[2];
        Assert.Equal(1, _bus.SyncRead(XmControlTable.PresentPosition, 4, [1, 2], data, errors, received));
        Assert.Equal(0, _bus.Statistics.LostToCrc);
        Assert.Equal(3, _bus.Statistics.Timeouts);
    }

    [Fact]
    public void SilentChain_TimesOutAfterRetries()
    {
        _twin.StopResponding();
        Assert.False(_bus.Ping(1, out _, out _));
        Assert.Equal(3, _bus.Statistics.Timeouts);
    }
}
