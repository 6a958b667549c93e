namespace MeTAI.Dicom.Network;

/// <summary>One presentation data value of a P-DATA-TF: a fragment of a command or data set on a presentation context.</summary>
/// <param name="ContextId">The presentation context ID.</param>
/// <param name="IsCommand">A fragment of a command set (else of a data set).</param>
/// <param name="IsLast">The last fragment of its command or data set.</param>
/// <param name="Data">The fragment's bytes.</param>
internal readonly record struct Pdv(byte ContextId, bool IsCommand, bool IsLast, ReadOnlyMemory<byte> Data);
