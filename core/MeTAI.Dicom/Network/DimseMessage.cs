using System.Buffers.Binary;
using MeTAI.Dicom.IO;

namespace MeTAI.Dicom.Network;

/// <summary>
/// The command set of a DIMSE message (PS3.7 §6.3, §9.3, Annex E): group 0000 elements, always encoded in Implicit VR
/// Little Endian with a Command Group Length (0000,0000) first, whatever the presentation context's transfer syntax.
/// Factories build the requests and responses this implementation sends; <see cref="Decode"/> reads a peer's.
/// </summary>
public sealed class DimseMessage
{
    /// <summary>Command Data Set Type (0000,0800) value for "no data set follows".</summary>
    public const ushort NoDataSet = 0x0101;

    /// <summary>A message over an existing command set.</summary>
    public DimseMessage(DicomDataset command)
    {
        ArgumentNullException.ThrowIfNull(command);
        Command = command;
    }

    /// <summary>The command set (group 0000).</summary>
    public DicomDataset Command { get; }

    /// <summary>Command Field (0000,0100).</summary>
    public DimseCommandField CommandField => (DimseCommandField)Command.GetValueOrDefault<ushort>(DicomTags.CommandField, 0);

    /// <summary>Message ID (0000,0110) of a request.</summary>
    public ushort MessageId => Command.GetValueOrDefault<ushort>(DicomTags.MessageID, 0);

    /// <summary>Message ID Being Responded To (0000,0120) of a response or C-CANCEL-RQ.</summary>
    public ushort MessageIdBeingRespondedTo => Command.GetValueOrDefault<ushort>(DicomTags.MessageIDBeingRespondedTo, 0);

    /// <summary>Affected SOP Class UID (0000,0002), or empty.</summary>
    public string AffectedSopClassUid => Command.GetString(DicomTags.AffectedSOPClassUID) ?? string.Empty;

    /// <summary>Affected SOP Instance UID (0000,1000), or empty.</summary>
    public string AffectedSopInstanceUid => Command.GetString(DicomTags.AffectedSOPInstanceUID) ?? string.Empty;

    /// <summary>Status (0000,0900) of a response.</summary>
    public ushort Status => Command.GetValueOrDefault<ushort>(DicomTags.Status, 0);

    /// <summary>Error Comment (0000,0902), or null.</summary>
    public string? ErrorComment => Command.GetString(DicomTags.ErrorComment);

    /// <summary>Move Destination (0000,0600) of a C-MOVE-RQ, or null.</summary>
    public string? MoveDestination => Command.GetString(DicomTags.MoveDestination);

    /// <summary>True when a data set follows the command (Command Data Set Type other than 0x0101).</summary>
    public bool HasDataSet => Command.GetValueOrDefault<ushort>(DicomTags.CommandDataSetType, NoDataSet) != NoDataSet;

    /// <summary>Number of Remaining Sub-operations (0000,1020), or null.</summary>
    public int? Remaining => Optional(DicomTags.NumberOfRemainingSuboperations);

    /// <summary>Number of Completed Sub-operations (0000,1021), or null.</summary>
    public int? Completed => Optional(DicomTags.NumberOfCompletedSuboperations);

    /// <summary>Number of Failed Sub-operations (0000,1022), or null.</summary>
    public int? Failed => Optional(DicomTags.NumberOfFailedSuboperations);

    /// <summary>Number of Warning Sub-operations (0000,1023), or null.</summary>
    public int? Warning => Optional(DicomTags.NumberOfWarningSuboperations);

    /// <summary>True for a response (bit 15 of the command field).</summary>
    public bool IsResponse => ((ushort)CommandField & 0x8000) != 0;

    /// <summary>The command's name, e.g. "C-STORE-RQ".</summary>
    public string Name => NameOf(CommandField);

    /// <summary>C-ECHO-RQ.</summary>
    public static DimseMessage EchoRequest(ushort messageId) => Request(DimseCommandField.CEchoRequest, messageId, DicomNetworkUids.Verification, dataSet: false);

    /// <summary>C-STORE-RQ of one SOP instance, medium priority; a C-MOVE sub-operation names its originator.</summary>
    public static DimseMessage StoreRequest(ushort messageId, string sopClassUid, string sopInstanceUid, string? moveOriginatorAeTitle = null, ushort? moveOriginatorMessageId = null)
    {
        DimseMessage m = Request(DimseCommandField.CStoreRequest, messageId, sopClassUid, dataSet: true);
        m.Command.AddOrUpdate(DicomTags.AffectedSOPInstanceUID, DicomVR.UI, sopInstanceUid);
        if (moveOriginatorAeTitle is not null && moveOriginatorMessageId is { } originator)
        {
            m.Command.AddOrUpdate(DicomTags.MoveOriginatorApplicationEntityTitle, DicomVR.AE, moveOriginatorAeTitle);
            m.Command.AddOrUpdate(DicomTags.MoveOriginatorMessageID, DicomVR.US, originator);
        }

        return m;
    }

    /// <summary>C-FIND-RQ (the identifier follows as the data set).</summary>
    public static DimseMessage FindRequest(ushort messageId, string sopClassUid) => Request(DimseCommandField.CFindRequest, messageId, sopClassUid, dataSet: true);

    /// <summary>C-GET-RQ (the identifier follows as the data set).</summary>
    public static DimseMessage GetRequest(ushort messageId, string sopClassUid) => Request(DimseCommandField.CGetRequest, messageId, sopClassUid, dataSet: true);

    /// <summary>C-MOVE-RQ to <paramref name="destinationAeTitle"/> (the identifier follows as the data set).</summary>
    public static DimseMessage MoveRequest(ushort messageId, string sopClassUid, string destinationAeTitle)
    {
        DimseMessage m = Request(DimseCommandField.CMoveRequest, messageId, sopClassUid, dataSet: true);
        m.Command.AddOrUpdate(DicomTags.MoveDestination, DicomVR.AE, destinationAeTitle);
        return m;
    }

    /// <summary>C-CANCEL-RQ of the operation with <paramref name="messageIdBeingRespondedTo"/>.</summary>
    public static DimseMessage CancelRequest(ushort messageIdBeingRespondedTo)
    {
        var c = new DicomDataset();
        c.AddOrUpdate(DicomTags.CommandField, DicomVR.US, (int)DimseCommandField.CCancelRequest);
        c.AddOrUpdate(DicomTags.MessageIDBeingRespondedTo, DicomVR.US, messageIdBeingRespondedTo);
        c.AddOrUpdate(DicomTags.CommandDataSetType, DicomVR.US, NoDataSet);
        return new DimseMessage(c);
    }

    /// <summary>
    /// The response to <paramref name="request"/> with <paramref name="status"/> (no data set), echoing its SOP class and
    /// instance when they are valid UIDs (a hostile peer's are not echoed).
    /// </summary>
    public static DimseMessage Response(DimseMessage request, ushort status, string? errorComment = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var c = new DicomDataset();
        if (DicomUid.IsValid(request.AffectedSopClassUid))
        {
            c.AddOrUpdate(DicomTags.AffectedSOPClassUID, DicomVR.UI, request.AffectedSopClassUid);
        }

        c.AddOrUpdate(DicomTags.CommandField, DicomVR.US, (int)request.CommandField | 0x8000);
        c.AddOrUpdate(DicomTags.MessageIDBeingRespondedTo, DicomVR.US, request.MessageId);
        c.AddOrUpdate(DicomTags.CommandDataSetType, DicomVR.US, NoDataSet);
        c.AddOrUpdate(DicomTags.Status, DicomVR.US, status);
        if (DicomUid.IsValid(request.AffectedSopInstanceUid))
        {
            c.AddOrUpdate(DicomTags.AffectedSOPInstanceUID, DicomVR.UI, request.AffectedSopInstanceUid);
        }

        if (errorComment is { Length: > 0 })
        {
            // LO holds 64 characters.
            c.AddOrUpdate(DicomTags.ErrorComment, DicomVR.LO, errorComment.Length > 64 ? errorComment[..64] : errorComment);
        }

        return new DimseMessage(c);
    }

    /// <summary>The command set in Implicit VR Little Endian, Command Group Length first.</summary>
    public byte[] Encode()
    {
        byte[] body = DicomWriter.Encode(Command, explicitVR: false);
        var bytes = new byte[12 + body.Length];
        // (0000,0000) UL, implicit: tag, 4-byte length 4, the value.
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), (uint)body.Length);
        body.CopyTo(bytes, 12);
        return bytes;
    }

    /// <summary>Reads a peer's command set; a command that does not parse or has no Command Field is a protocol error.</summary>
    /// <exception cref="DicomProtocolException">The bytes are not a command set.</exception>
    public static DimseMessage Decode(ReadOnlyMemory<byte> bytes)
    {
        DicomDataset command;
        try
        {
            command = DicomReader.ReadDataset(bytes, DicomTransferSyntax.ImplicitVRLittleEndian);
        }
        catch (DicomFormatException ex)
        {
            throw new DicomProtocolException(AbortReason.NotSpecified, $"DIMSE command set does not parse: {ex.Message}");
        }

        foreach (DicomElement e in command)
        {
            if (e.Tag.Group != 0x0000)
            {
                throw new DicomProtocolException(AbortReason.NotSpecified, $"DIMSE command set holds {e.Tag}, outside group 0000");
            }
        }

        var message = new DimseMessage(command);
        try
        {
            if (!command.TryGetSingleValue(DicomTags.CommandField, out ushort _))
            {
                throw new DicomProtocolException(AbortReason.NotSpecified, "DIMSE command set has no Command Field (0000,0100)");
            }

            // Read every typed field once, so that a malformed value is found here and not halfway through a reply.
            _ = (message.MessageId, message.MessageIdBeingRespondedTo, message.Status, message.HasDataSet);
            _ = (message.Remaining, message.Completed, message.Failed, message.Warning);
        }
        catch (DicomFormatException ex)
        {
            throw new DicomProtocolException(AbortReason.NotSpecified, $"DIMSE command set holds a malformed value: {ex.Message}");
        }

        return message;
    }

    /// <summary>The name of a command field, e.g. "C-FIND-RSP", or its hex value.</summary>
    public static string NameOf(DimseCommandField field) => field switch
    {
        DimseCommandField.CStoreRequest => "C-STORE-RQ",
        DimseCommandField.CStoreResponse => "C-STORE-RSP",
        DimseCommandField.CGetRequest => "C-GET-RQ",
        DimseCommandField.CGetResponse => "C-GET-RSP",
        DimseCommandField.CFindRequest => "C-FIND-RQ",
        DimseCommandField.CFindResponse => "C-FIND-RSP",
        DimseCommandField.CMoveRequest => "C-MOVE-RQ",
        DimseCommandField.CMoveResponse => "C-MOVE-RSP",
        DimseCommandField.CEchoRequest => "C-ECHO-RQ",
        DimseCommandField.CEchoResponse => "C-ECHO-RSP",
        DimseCommandField.CCancelRequest => "C-CANCEL-RQ",
        _ => $"command 0x{(ushort)field:X4}",
    };

    /// <summary>The message's name and IDs, e.g. "C-STORE-RQ #3".</summary>
    public override string ToString() => IsResponse ? $"{Name} to #{MessageIdBeingRespondedTo} {DimseStatus.Describe(Status)}" : $"{Name} #{MessageId}";

    private static DimseMessage Request(DimseCommandField field, ushort messageId, string sopClassUid, bool dataSet)
    {
        var c = new DicomDataset();
        c.AddOrUpdate(DicomTags.AffectedSOPClassUID, DicomVR.UI, sopClassUid);
        c.AddOrUpdate(DicomTags.CommandField, DicomVR.US, (int)field);
        c.AddOrUpdate(DicomTags.MessageID, DicomVR.US, messageId);
        if (field is not DimseCommandField.CEchoRequest)
        {
            c.AddOrUpdate(DicomTags.Priority, DicomVR.US, 0);
        }

        c.AddOrUpdate(DicomTags.CommandDataSetType, DicomVR.US, dataSet ? 0x0000 : NoDataSet);
        return new DimseMessage(c);
    }

    private int? Optional(DicomTag tag) => Command.TryGetSingleValue(tag, out ushort v) ? v : null;
}
