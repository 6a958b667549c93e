namespace MeTAI.Dicom.Network;

/// <summary>A DIMSE command received on an association, with the presentation context it came on (its data set, if any, is read next).</summary>
/// <param name="Message">The command set.</param>
/// <param name="Context">The presentation context: SOP class and the transfer syntax of the data set.</param>
public sealed record ReceivedMessage(DimseMessage Message, AcceptedContext Context);
