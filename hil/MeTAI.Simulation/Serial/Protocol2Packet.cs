namespace MeTAI.Simulation.Serial;

/// <summary>
/// One packet as the twin's <see cref="Protocol2Decoder"/> took it off the wire, valid until the decoder's next
/// <see cref="Protocol2Decoder.TryTake"/>: its parameters (unstuffed; for a status packet after the error byte) are a
/// view into the decoder's buffer.
/// </summary>
internal readonly ref struct Protocol2Packet
{
    /// <summary>A packet view.</summary>
    public Protocol2Packet(byte id, byte instruction, byte error, ReadOnlySpan<byte> parameters)
    {
        Id = id;
        Instruction = instruction;
        Error = error;
        Parameters = parameters;
    }

    /// <summary>Device ID (<see cref="Protocol2.Broadcast"/> for every device).</summary>
    public byte Id { get; }

    /// <summary>Instruction (<see cref="Protocol2.Status"/> for a status packet).</summary>
    public byte Instruction { get; }

    /// <summary>Error byte of a status packet (0 for an instruction).</summary>
    public byte Error { get; }

    /// <summary>Unstuffed parameters.</summary>
    public ReadOnlySpan<byte> Parameters { get; }

    /// <summary>True for a status packet.</summary>
    public bool IsStatus => Instruction == Protocol2.Status;
}
