using System.Buffers.Binary;
using System.Diagnostics;
using MeTAI.Robotics.Dynamixel;

namespace MeTAI.Robotics.ServoBus;

/// <summary>The power-up sequence, run on the IO thread when the loop asks for it (<see cref="RequestPowerUp"/>).</summary>
public sealed partial class ServoIo
{
    // One power-up attempt: every servo answers and is clear, then torque on where each stands. False: failed, try again
    // (never on the last attempt, nor once torque off was requested: the failure is then final).
    private bool DoPowerUp(bool lastAttempt)
    {
        string failure = ArmRelay() ?? PingAndClearWatchdogs() ?? CheckHardwareErrors() ?? ReadPowerUpPositions() ?? EnableTorque() ?? "";
        bool ok = failure.Length == 0;
        if (ok && Volatile.Read(ref _torqueOffPending) != 0)
        {
            ok = false;
            failure = "torque off was requested during power-up";
        }

        PowerUpFailure = ok ? "" : string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{failure} (bus: {_bus.Statistics.Transactions} transactions, {_bus.Statistics.Timeouts} timeouts, {_bus.Statistics.CrcErrors} CRC errors, {_bus.Statistics.BytesRead} bytes read)");
        if (!ok && !lastAttempt && Volatile.Read(ref _torqueOffPending) == 0)
        {
            return false;
        }

        if (ok)
        {
            _acceptAfterVersion = Commands.Version;
            _lastSentVersion = _acceptAfterVersion;
            _watchdogTripped = false;
            _sentCycle = -1;
            _previousSentCycle = -1;
            Feedback.Publish(_present, _hwError, 0, 0, false, Stopwatch.GetTimestamp());
            // From here the feed continues only while the loop writes goals (it has LoopStallMs from now to begin).
            _loopSeenTicks = Stopwatch.GetTimestamp();
            _torqueOn = true;
            _powerUpFeeding = false;
            Volatile.Write(ref _powerUp, (int)PowerUpStatus.Ready);
        }
        else
        {
            _torqueOn = false;
            _powerUpFeeding = false;
            _bus.WriteSafety(_torqueOffPacket.AsSpan(0, _torqueOffLength));
            Volatile.Write(ref _powerUp, (int)PowerUpStatus.Failed);
        }

        return true;
    }

    // Power-up steps: each returns null when done, else why it failed.
    private string? PingAndClearWatchdogs()
    {
        for (int i = 0; i < _ids.Length; i++)
        {
            ServiceRelay(Stopwatch.GetTimestamp());
            if (!_bus.Ping(_ids[i], out _, out _))
            {
                return $"servo {_ids[i]} does not answer Ping";
            }
        }

        // Clear a tripped bus watchdog (it reads −1) so goals are accepted again.
        for (int i = 0; i < _ids.Length; i++)
        {
            if (!_bus.WriteByte(_ids[i], XmControlTable.BusWatchdog, 0, out _))
            {
                return $"servo {_ids[i]}: writing Bus Watchdog failed";
            }
        }

        return null;
    }

    private string? CheckHardwareErrors()
    {
        ReadStatus();
        string? failure = null;
        for (int i = 0; i < _ids.Length; i++)
        {
            if (_hwError[i] != 0)
            {
                failure = $"servo {_ids[i]} reports Hardware Error Status 0x{_hwError[i]:X2}";
            }
        }

        return failure;
    }

    private string? ReadPowerUpPositions()
    {
        if (_bus.SyncRead(XmControlTable.PresentPosition, 4, _ids, _readBytes, _errors, _received) != _ids.Length)
        {
            return "Sync Read of Present Position incomplete";
        }

        for (int i = 0; i < _ids.Length; i++)
        {
            _present[i] = BinaryPrimitives.ReadInt32LittleEndian(_readBytes.AsSpan(4 * i));
            _powerUpPresent[i] = _present[i];
        }

        return null;
    }

    // Goal = present position first, so torque on moves nothing; then each servo's speed limit, torque and watchdog.
    private string? EnableTorque()
    {
        _bus.SyncWrite(XmControlTable.GoalPosition, 4, _ids, _readBytes);
        Span<byte> profile = stackalloc byte[4];
        for (int i = 0; i < _ids.Length && _profileVelocity is not null; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(profile, _profileVelocity[i]);
            if (!_bus.Write(_ids[i], XmControlTable.ProfileVelocity, profile, out _))
            {
                return $"servo {_ids[i]}: writing Profile Velocity failed";
            }
        }

        for (int i = 0; i < _ids.Length; i++)
        {
            ServiceRelay(Stopwatch.GetTimestamp());
            if (!_bus.WriteByte(_ids[i], XmControlTable.TorqueEnable, 1, out _)
                || !_bus.WriteByte(_ids[i], XmControlTable.BusWatchdog, _options.BusWatchdog20Ms, out _))
            {
                return $"servo {_ids[i]}: enabling torque or arming the bus watchdog failed";
            }
        }

        return null;
    }
}
