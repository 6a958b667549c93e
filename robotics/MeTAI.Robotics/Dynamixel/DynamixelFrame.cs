namespace MeTAI.Robotics.Dynamixel;

/// <summary>
/// One decoded packet, valid until the next call to <see cref="DynamixelFrameReader.TryRead"/>: its parameters are a
/// view into the reader's buffer. For a status packet <see cref="Error"/> holds the error byte and
/// <see cref="Parameters"/> starts after it.
/// </summary>
public readonly ref struct DynamixelFrame
{
    /// <summary>Creates a frame view.</summary>
    public DynamixelFrame(byte id, byte instruction, byte error, ReadOnlySpan<byte> parameters)
    {
        Id = id;
        Instruction = instruction;
        Error = error;
        Parameters = parameters;
    }

    /// <summary>Device ID (0xFE broadcast).</summary>
    public byte Id { get; }

    /// <summary>Instruction (0x55 for a status packet).</summary>
    public byte Instruction { get; }

    /// <summary>Error byte of a status packet (0 for an instruction packet).</summary>
    public byte Error { get; }

    /// <summary>Unstuffed parameters.</summary>
    public ReadOnlySpan<byte> Parameters { get; }

    /// <summary>True for a status packet.</summary>
    public bool IsStatus => Instruction == DynamixelInstruction.Status;
}
