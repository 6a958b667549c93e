namespace MeTAI.Dicom.Network;

/// <summary>A presentation context both sides agreed on: its ID, SOP class and the one transfer syntax of its data sets.</summary>
/// <param name="Id">The presentation context ID.</param>
/// <param name="AbstractSyntax">The SOP Class UID.</param>
/// <param name="TransferSyntax">The transfer syntax the acceptor chose.</param>
public sealed record AcceptedContext(byte Id, string AbstractSyntax, DicomTransferSyntax TransferSyntax);
