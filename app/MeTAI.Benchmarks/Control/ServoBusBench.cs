using System.Diagnostics;
using System.Globalization;
using MeTAI.Robotics.Control;
using MeTAI.Robotics.Dynamixel;
using MeTAI.Robotics.Kinematics;
using MeTAI.Robotics.ServoBus;
using MeTAI.Simulation.Serial;

namespace MeTAI.Benchmarks.Control;

/// <summary>
/// The servo bus alone, as the controller's IO thread drives it: a Sync Write of goal positions, then a Sync Read of
/// present positions (or, with <see cref="ServoBusBenchOptions.ReadVelocity"/>, present velocity and position), back to back, through the production <see cref="DynamixelBus"/> (System.IO.Ports on the twin's
/// pty) against the servo chain twin — with or without the twin's wire timing at a baud rate. Each Sync Read is cut
/// into where its time went, on one clock: the controller's write call, the hop to the twin (pty and the twin's
/// wake-up), the twin's handling (and wire time), and the hop back (pty, System.IO.Ports' I/O thread, the caller's
/// poll); and the gap between complete readings, which is what the controller's servo timeout watches. With wire timing
/// it also counts the twin's collisions (must stay 0: the bus owner never writes while a reply is due) and gives the
/// wire's own bound per cycle for comparison (<see cref="WireBytesPerCycle"/>).
/// </summary>
public static class ServoBusBench
{
    /// <summary>Runs the bus for <paramref name="seconds"/> after a 1 s warm-up.</summary>
    public static ServoBusBenchResult Run(RobotModel robot, double seconds, ServoBusBenchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(robot);
        options ??= new ServoBusBenchOptions();
        using var twin = new ServoChainTwin(new ServoChainOptions
        {
            Servos = [.. robot.Joints.Select(j => new ServoTwinOptions { Id = j.ServoId, InitialPositionCounts = robot.Servo.ToCounts(0, j) })],
            BaudRate = options.BaudRate,
            ReturnDelayUs = options.ReturnDelayUs,
            RealtimePriority = options.Realtime ? 60 : null,
        });
        twin.Start();
        using var bus = new DynamixelBus(new DynamixelBusOptions { PortName = twin.SlavePath, BaudRate = options.BaudRate ?? 1_000_000, OwnDescriptor = options.OwnDescriptor });
        bus.Open();
        byte[] ids = [.. robot.Joints.Select(j => j.ServoId)];
        ServoBusBenchResult? result = null;
        var thread = new Thread(() => result = Measure(bus, twin, ids, seconds, options)) { Name = "servo-bus-bench" };
        thread.Start();
        thread.Join();
        int readBytes = options.ReadVelocity ? 8 : 4;
        int wireBytes = WireBytesPerCycle(ids.Length, readBytes);
        return result! with
        {
            ReadBytesPerServo = readBytes,
            WireBytesPerCycle = wireBytes,
            WireBoundUs = options.BaudRate is int baud ? (wireBytes * 10.0 * 1e6 / baud) + (ids.Length * options.ReturnDelayUs) : null,
            BaudRate = options.BaudRate,
            ReturnDelayUs = options.ReturnDelayUs,
            Realtime = options.Realtime,
            OwnDescriptor = options.OwnDescriptor,
            TwinRealtime = twin.RealtimeObtained,
            Servos = ids.Length,
            LoadAverage = LoadAverage(),
            ProcessorCount = Environment.ProcessorCount,
        };
    }

    private static ServoBusBenchResult Measure(DynamixelBus bus, ServoChainTwin twin, byte[] ids, double seconds, ServoBusBenchOptions options)
    {
        bool realtime = options.Realtime && PreciseSleeper.TrySetRealtimePriority(70);
        int n = ids.Length;
        // Present Velocity (128) is followed by Present Position (132): one Sync Read of 8 bytes gets both.
        int readBytes = options.ReadVelocity ? 8 : 4;
        ushort readAddress = options.ReadVelocity ? XmControlTable.PresentVelocity : XmControlTable.PresentPosition;
        byte[] goals = new byte[4 * n], present = new byte[readBytes * n], errors = new byte[n];
        bool[] received = new bool[n];
        var write = new Histogram(1_000_000, 10);
        var toTwin = new Histogram(1_000_000, 10);
        var inTwin = new Histogram(1_000_000, 10);
        var back = new Histogram(1_000_000, 10);
        var cycle = new Histogram(1_000_000, 10);
        var gap = new Histogram(1_000_000, 10);
        long warmUpEnd = Stopwatch.GetTimestamp() + Stopwatch.Frequency;
        long end = warmUpEnd + (long)(seconds * Stopwatch.Frequency);
        long cycles = 0, incomplete = 0, lastComplete = 0, over40 = 0, writeTimeouts = 0;
        long timeouts0 = 0, retries0 = 0, collisions0 = 0;
        bool measuring = false;
        while (true)
        {
            long start = Stopwatch.GetTimestamp();
            if (start >= end)
            {
                break;
            }

            if (!measuring && start >= warmUpEnd)
            {
                measuring = true;
                timeouts0 = bus.Statistics.Timeouts;
                retries0 = bus.Statistics.Retries;
                collisions0 = twin.Collisions;
                lastComplete = 0;
            }

            // The goals the arm holds (its present positions), written as the IO thread writes each new goal.
            for (int i = 0; i < n; i++)
            {
                present.AsSpan((i * readBytes) + readBytes - 4, 4).CopyTo(goals.AsSpan(4 * i));
            }


            int got;
            try
            {
                bus.SyncWrite(XmControlTable.GoalPosition, 4, ids, goals);
                got = bus.SyncRead(readAddress, (ushort)readBytes, ids, present, errors, received);
            }
            catch (TimeoutException)
            {
                // System.IO.Ports' write timeout (100 ms): its I/O thread did not get to the write. The controller's IO
                // thread counts it as a port error and goes on; so does this.
                writeTimeouts += measuring ? 1 : 0;
                got = -1;
            }

            long done = Stopwatch.GetTimestamp();
            if (!measuring)
            {
                continue;
            }

            cycles++;
            cycle.RecordTicks(done - start);
            if (got != n)
            {
                incomplete++;
                continue;
            }

            (long sendStart, long sendDone, _) = bus.LastTransactionTicks;
            (long twinRead, long twinWritten) = twin.LastTicks;
            write.RecordTicks(sendDone - sendStart);
            toTwin.RecordTicks(twinRead - sendDone);
            inTwin.RecordTicks(twinWritten - twinRead);
            back.RecordTicks(done - twinWritten);
            if (lastComplete != 0)
            {
                long g = done - lastComplete;
                gap.RecordTicks(g);
                if (g > 40 * Stopwatch.Frequency / 1000)
                {
                    over40++;
                }
            }

            lastComplete = done;
        }

        return new ServoBusBenchResult
        {
            Seconds = seconds,
            Cycles = cycles,
            CyclesPerSecond = cycles / seconds,
            IncompleteReads = incomplete,
            Timeouts = bus.Statistics.Timeouts - timeouts0,
            Retries = bus.Statistics.Retries - retries0,
            WriteTimeouts = writeTimeouts,
            Collisions = twin.Collisions - collisions0,
            GapsOver40Ms = over40,
            CycleUs = Of(cycle),
            CompleteReadingGapUs = Of(gap),
            WriteCallUs = Of(write),
            ToTwinUs = Of(toTwin),
            InTwinUs = Of(inTwin),
            BackUs = Of(back),
            IoRealtime = realtime,
        };
    }

    /// <summary>
    /// Bytes on the wire in one cycle for <paramref name="servos"/> servos (Protocol 2.0 framing: header 4, ID, length 2,
    /// instruction, CRC 2): the Sync Write of 4-byte goals (10 + 4 + 5 per servo), the Sync Read request (10 + 4 + 1 per
    /// servo) and one status packet per servo (11 + <paramref name="readBytes"/>). 154 for six servos reading positions.
    /// </summary>
    public static int WireBytesPerCycle(int servos, int readBytes) => (14 + (5 * servos)) + (14 + servos) + (servos * (11 + readBytes));

    private static Percentiles Of(Histogram h) => new(h.Percentile(0.5), h.Percentile(0.99), h.Percentile(0.999), h.MaxUs);

    private static double[]? LoadAverage()
    {
        try
        {
            string[] parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return [.. parts.Take(3).Select(p => double.Parse(p, CultureInfo.InvariantCulture))];
        }
        catch (IOException)
        {
            return null;
        }
    }
}
