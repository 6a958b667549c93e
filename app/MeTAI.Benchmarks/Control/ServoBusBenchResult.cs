namespace MeTAI.Benchmarks.Control;

/// <summary>What <c>metai bench servo-bus</c> measured (times in µs).</summary>
public sealed record ServoBusBenchResult
{
    /// <summary>Seconds measured (after a 1 s warm-up).</summary>
    public required double Seconds { get; init; }

    /// <summary>Sync Write + Sync Read cycles run.</summary>
    public required long Cycles { get; init; }

    /// <summary>Sync Write + Sync Read cycles per second (the most goals per second the bus carries with fresh feedback).</summary>
    public required double CyclesPerSecond { get; init; }

    /// <summary>Sync Reads that ended without every servo's reply (after the retries).</summary>
    public required long IncompleteReads { get; init; }

    /// <summary>Reply timeouts (per attempt) while measuring.</summary>
    public required long Timeouts { get; init; }

    /// <summary>Retries while measuring.</summary>
    public required long Retries { get; init; }

    /// <summary>Writes that System.IO.Ports gave up on after its 100 ms write timeout (its I/O thread never got to them).</summary>
    public required long WriteTimeouts { get; init; }

    /// <summary>Collisions the twin's wire counted while measuring (instructions written while a reply was on the wire; must be 0).</summary>
    public required long Collisions { get; init; }

    /// <summary>Gaps between complete readings longer than 40 ms (the shipped servo timeout: each would be a ServoBus fault).</summary>
    public required long GapsOver40Ms { get; init; }

    /// <summary>One Sync Write + Sync Read cycle.</summary>
    public required Percentiles CycleUs { get; init; }

    /// <summary>Time between two complete Sync Reads (what the controller's servo timeout watches).</summary>
    public required Percentiles CompleteReadingGapUs { get; init; }

    /// <summary>The Sync Read request's write call (System.IO.Ports' write, through its I/O thread).</summary>
    public required Percentiles WriteCallUs { get; init; }

    /// <summary>Write call returned → the twin's pty read returned with the request (pty transfer, the twin's wake-up).</summary>
    public required Percentiles ToTwinUs { get; init; }

    /// <summary>Request read → last reply handed to the pty (the twin's handling, and the wire time when emulated).</summary>
    public required Percentiles InTwinUs { get; init; }

    /// <summary>Last reply handed to the pty → Sync Read returned complete (pty transfer, System.IO.Ports' I/O thread, the reader's 100 µs poll).</summary>
    public required Percentiles BackUs { get; init; }

    /// <summary>True when the IO thread got SCHED_FIFO.</summary>
    public required bool IoRealtime { get; init; }

    /// <summary>The twin's emulated baud rate (null: no wire timing).</summary>
    public int? BaudRate { get; init; }

    /// <summary>The twins' Return Delay Time (µs).</summary>
    public double ReturnDelayUs { get; init; }

    /// <summary>Whether SCHED_FIFO was asked for.</summary>
    public bool Realtime { get; init; }

    /// <summary>True when the bus used a descriptor of its own, false for System.IO.Ports.</summary>
    public bool OwnDescriptor { get; init; }

    /// <summary>True when the twin's thread got SCHED_FIFO.</summary>
    public bool TwinRealtime { get; init; }

    /// <summary>Bytes each servo returns per Sync Read (4: Present Position; 8: Present Velocity and Position).</summary>
    public int ReadBytesPerServo { get; init; }

    /// <summary>Bytes on the wire per cycle (<see cref="ServoBusBench.WireBytesPerCycle"/>).</summary>
    public int WireBytesPerCycle { get; init; }

    /// <summary>
    /// The wire's own time per cycle (µs): bytes × 10 bits / baud plus one Return Delay Time per reply — the best any
    /// host could do on that wire (null without wire timing).
    /// </summary>
    public double? WireBoundUs { get; init; }

    /// <summary>Servos on the chain.</summary>
    public int Servos { get; init; }

    /// <summary>The machine's load average (1, 5, 15 min) when the run ended.</summary>
    public IReadOnlyList<double>? LoadAverage { get; init; }

    /// <summary>Logical processors.</summary>
    public int ProcessorCount { get; init; }
}
