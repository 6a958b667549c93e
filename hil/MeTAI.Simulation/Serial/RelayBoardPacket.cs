namespace MeTAI.Simulation.Serial;

/// <summary>One instruction packet as the relay board's own decoder read it (parameters unstuffed).</summary>
internal readonly record struct RelayBoardPacket(byte Id, byte Instruction, byte[] Parameters);
