namespace MeTAI.Dicom.Network;

/// <summary>A SOP instance received by C-STORE and written whole.</summary>
/// <param name="SopClassUid">Its SOP class.</param>
/// <param name="SopInstanceUid">Its SOP instance.</param>
/// <param name="StudyInstanceUid">The study it belongs to (its folder).</param>
/// <param name="TransferSyntaxUid">The transfer syntax it arrived, and is stored, in.</param>
/// <param name="Path">The file written.</param>
/// <param name="Bytes">The data set's length as received.</param>
/// <param name="CallingAeTitle">Who sent it (Source Application Entity Title of its File Meta).</param>
public sealed record ReceivedObject(string SopClassUid, string SopInstanceUid, string StudyInstanceUid, string TransferSyntaxUid, string Path, long Bytes, string CallingAeTitle)
{
    /// <summary>A short name of the SOP class: CT, MR, PT, RTSTRUCT, RTPLAN, RTDOSE or the UID's registered name.</summary>
    public string Kind => DicomStorageFolder.KindOf(SopClassUid);
}
