namespace MeTAI.Benchmarks.Control;

/// <summary>Options of <see cref="ServoBusBench"/>.</summary>
public sealed record ServoBusBenchOptions
{
    /// <summary>Baud rate of the twin's emulated wire (bytes take their time, replies wait for the wire); null: none.</summary>
    public int? BaudRate { get; init; }

    /// <summary>Return Delay Time of every servo twin (µs; with a baud rate only).</summary>
    public double ReturnDelayUs { get; init; }

    /// <summary>The bus on a descriptor of its own instead of System.IO.Ports (<see cref="Robotics.ServoBus.DynamixelBusOptions.OwnDescriptor"/>).</summary>
    public bool OwnDescriptor { get; init; }

    /// <summary>
    /// Read Present Velocity and Present Position (8 bytes from address 128) in each cycle, instead of Present Position
    /// alone (4 bytes from 132, what the controller reads).
    /// </summary>
    public bool ReadVelocity { get; init; }

    /// <summary>SCHED_FIFO for the bench's IO thread and the twin's thread (needs CAP_SYS_NICE).</summary>
    public bool Realtime { get; init; }
}
