using System.Buffers.Binary;
using MeTAI.Dicom.IO;
using MeTAI.Dicom.Network;

namespace MeTAI.Dicom.Tests.Network;

/// <summary>
/// Bad and hostile peers against our storage SCP, on raw sockets: malformed, oversized, unknown and out-of-order PDUs
/// and DIMSE messages, silence, and associations that end in the middle of an object. Each gets a clean A-ABORT (or
/// reject) with the reason PS3.8 gives, and nothing half-written is kept: no file in the store, none in the spool.
/// </summary>
public class HostilePeerTests
{
    private static readonly string Ct = DicomUid.CTImageStorage;

    [Fact]
    public async Task UnknownPduType_AbortUnrecognizedPdu()
    {
        await using var scp = new ScpHost();
        using RawPeer peer = RawPeer.Connect(scp.Port);

        peer.Send(RawPeer.Pdu(0x09, [0, 0, 0, 0]));

        Assert.Equal((2, (byte)AbortReason.UnrecognizedPdu), peer.ExpectAbort());
        Assert.True(peer.Closed());
        scp.Handler.WaitForEnded(1);
        Assert.Contains("unknown type 0x09", Assert.Single(scp.Handler.Refusals), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AssociateRequest_ItemLongerThanItsPdu_AbortInvalidParameter()
    {
        await using var scp = new ScpHost();
        using RawPeer peer = RawPeer.Connect(scp.Port);
        byte[] rq = RawPeer.AssociateRequest(ScpHost.AeTitle, "HOSTILE", [(1, Ct, [DicomNetworkUids.ExplicitVRLittleEndian])]);
        // The application context item (right after the 68 bytes of fixed fields) claims 60 000 bytes.
        BinaryPrimitives.WriteUInt16BigEndian(rq.AsSpan(6 + 68 + 2), 60_000);

        peer.Send(rq);

        Assert.Equal((2, (byte)AbortReason.InvalidPduParameterValue), peer.ExpectAbort());
        Assert.True(peer.Closed());
    }

    [Fact]
    public async Task AssociateRequest_LongerThanAnyRequest_AbortBeforeReadingIt()
    {
        await using var scp = new ScpHost();
        using RawPeer peer = RawPeer.Connect(scp.Port);
        byte[] header = [1, 0, 0, 0, 0, 0];
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(2), 0x7FFF_FFFF);

        peer.Send(header);

        Assert.Equal((2, (byte)AbortReason.InvalidPduParameterValue), peer.ExpectAbort());
    }

    [Fact]
    public async Task AssociateRequest_ProtocolVersionWithoutBit0_RejectedPermanent()
    {
        await using var scp = new ScpHost();
        using RawPeer peer = RawPeer.Connect(scp.Port);

        peer.Send(RawPeer.AssociateRequest(ScpHost.AeTitle, "HOSTILE", [(1, Ct, [DicomNetworkUids.ExplicitVRLittleEndian])], version: 2));

        (byte type, byte[] body) = peer.ReadPdu();
        Assert.Equal(3, type);
        Assert.Equal([0, 1, 2, 2], body);
    }

    [Fact]
    public async Task PData_LongerThanTheMaximumWeAnnounced_AbortInvalidParameter()
    {
        await using var scp = new ScpHost(o => With(o, network: new DicomNetworkOptions { MaxPduLength = 16384 }));
        using RawPeer peer = RawPeer.Associated(scp.Port, ScpHost.AeTitle, Ct);
        byte[] header = [4, 0, 0, 0, 0, 0];
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(2), 16385);

        peer.Send(header);

        Assert.Equal((2, (byte)AbortReason.InvalidPduParameterValue), peer.ExpectAbort());
        scp.Handler.WaitForEnded(1);
        Assert.Contains("longer than the maximum of 16384", Assert.Single(scp.Handler.Ended).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DataSetBeforeAnyCommand_AbortUnexpectedParameter()
    {
        await using var scp = new ScpHost();
        using RawPeer peer = RawPeer.Associated(scp.Port, ScpHost.AeTitle, Ct);

        peer.Send(RawPeer.PData(1, command: false, last: true, [1, 2, 3, 4]));

        Assert.Equal((2, (byte)AbortReason.UnexpectedPduParameter), peer.ExpectAbort());
    }

    [Fact]
    public async Task PdvOnAContextNotAccepted_AbortInvalidParameter()
    {
        await using var scp = new ScpHost();
        using RawPeer peer = RawPeer.Associated(scp.Port, ScpHost.AeTitle, Ct);

        peer.Send(RawPeer.PData(7, command: true, last: true, DimseMessage.EchoRequest(1).Encode()));

        Assert.Equal((2, (byte)AbortReason.InvalidPduParameterValue), peer.ExpectAbort());
    }

    [Fact]
    public async Task CommandThatDoesNotParse_Abort()
    {
        await using var scp = new ScpHost();
        using RawPeer peer = RawPeer.Associated(scp.Port, ScpHost.AeTitle, Ct);

        peer.Send(RawPeer.PData(1, command: true, last: true, [0, 0, 0, 0, 4, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x7F]));

        Assert.Equal(2, peer.ExpectAbort().Source);
    }

    [Fact]
    public async Task SecondAssociateRequest_AbortUnexpectedPdu()
    {
        await using var scp = new ScpHost();
        using RawPeer peer = RawPeer.Associated(scp.Port, ScpHost.AeTitle, Ct);

        peer.Send(RawPeer.AssociateRequest(ScpHost.AeTitle, "HOSTILE", [(1, Ct, [DicomNetworkUids.ExplicitVRLittleEndian])]));

        Assert.Equal((2, (byte)AbortReason.UnexpectedPdu), peer.ExpectAbort());
    }

    [Theory]
    [InlineData("abort")]
    [InlineData("close")]
    [InlineData("release")]
    public async Task AssociationEndsInTheMiddleOfAnObject_NothingWritten(string how)
    {
        await using var scp = new ScpHost();
        using RawPeer peer = RawPeer.Associated(scp.Port, ScpHost.AeTitle, Ct);
        (DimseMessage rq, byte[] data) = StoreOf(NetworkTestData.CtSlices[0]);

        peer.Send(RawPeer.PData(1, command: true, last: true, rq.Encode()));
        peer.Send(RawPeer.PData(1, command: false, last: false, data.AsSpan(0, data.Length / 2)));
        switch (how)
        {
            case "abort":
                peer.Send(RawPeer.Abort());
                break;
            case "release":
                peer.Send(RawPeer.ReleaseRequest());
                Assert.Equal((2, (byte)AbortReason.UnexpectedPdu), peer.ExpectAbort());
                break;
            default:
                peer.Dispose();
                break;
        }

        scp.Handler.WaitForEnded(1);
        AssociationOutcome outcome = Assert.Single(scp.Handler.Ended);
        Assert.False(outcome.Released);
        Assert.True(outcome.DiscardedInTransfer);
        Assert.Empty(scp.Handler.Files());
        Assert.Empty(scp.Handler.SpoolFiles());
    }

    [Fact]
    public async Task ObjectLargerThanTheLimit_AbortAndNothingWritten()
    {
        await using var scp = new ScpHost(o => With(o, maxObjectBytes: 300));
        using RawPeer peer = RawPeer.Associated(scp.Port, ScpHost.AeTitle, Ct);
        (DimseMessage rq, byte[] data) = StoreOf(NetworkTestData.CtSlices[0]);

        peer.Send(RawPeer.PData(1, command: true, last: true, rq.Encode()));
        peer.TrySend(RawPeer.PData(1, command: false, last: true, data));

        Assert.Equal(2, peer.ExpectAbort().Source);
        scp.Handler.WaitForEnded(1);
        Assert.Contains("longer than the limit of 300 bytes", Assert.Single(scp.Handler.Ended).Error, StringComparison.Ordinal);
        Assert.Empty(scp.Handler.Files());
        Assert.Empty(scp.Handler.SpoolFiles());
    }

    [Fact]
    public async Task SilentPeer_ClosedWhenTheArtimTimerRunsOut()
    {
        await using var scp = new ScpHost(o => With(o, network: new DicomNetworkOptions { ArtimTimeout = TimeSpan.FromSeconds(1) }));
        using RawPeer peer = RawPeer.Connect(scp.Port);

        Assert.Equal(2, peer.ExpectAbort().Source);
        Assert.True(peer.Closed());
        scp.Handler.WaitForEnded(1);
        Assert.Contains("sent nothing", Assert.Single(scp.Handler.Refusals), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PeerSilentMidObject_AbortAfterTheDimseTimeoutNothingWritten()
    {
        await using var scp = new ScpHost(o => With(o, network: new DicomNetworkOptions { DimseTimeout = TimeSpan.FromSeconds(1) }));
        using RawPeer peer = RawPeer.Associated(scp.Port, ScpHost.AeTitle, Ct);
        (DimseMessage rq, byte[] data) = StoreOf(NetworkTestData.CtSlices[0]);

        peer.Send(RawPeer.PData(1, command: true, last: true, rq.Encode()));
        peer.Send(RawPeer.PData(1, command: false, last: false, data.AsSpan(0, 100)));

        Assert.Equal(2, peer.ExpectAbort().Source);
        scp.Handler.WaitForEnded(1);
        Assert.Empty(scp.Handler.Files());
        Assert.Empty(scp.Handler.SpoolFiles());
    }

    [Fact]
    public async Task TooManyAssociations_RejectedTransientLocalLimit()
    {
        await using var scp = new ScpHost(o => With(o, maxAssociations: 1));
        using RawPeer first = RawPeer.Associated(scp.Port, ScpHost.AeTitle, Ct);
        using RawPeer second = RawPeer.Connect(scp.Port);

        second.Send(RawPeer.AssociateRequest(ScpHost.AeTitle, "SECOND", [(1, Ct, [DicomNetworkUids.ExplicitVRLittleEndian])]));

        (byte type, byte[] body) = second.ReadPdu();
        Assert.Equal(3, type);
        Assert.Equal([0, AssociateReject.Transient, 3, 2], body);
    }

    [Fact]
    public async Task DataSetThatDoesNotParse_FailureStatusNothingWrittenAssociationGoesOn()
    {
        await using var scp = new ScpHost();
        using RawPeer peer = RawPeer.Associated(scp.Port, ScpHost.AeTitle, Ct);
        (DimseMessage rq, _) = StoreOf(NetworkTestData.CtSlices[0]);
        byte[] garbage = [0x08, 0x00, 0x18, 0x00, (byte)'U', (byte)'I', 0xFF, 0x7F, 1, 2, 3];

        peer.Send(RawPeer.PData(1, command: true, last: true, rq.Encode()));
        peer.Send(RawPeer.PData(1, command: false, last: true, garbage));
        DimseMessage rsp = peer.ReadCommand();
        (DimseMessage again, byte[] data) = StoreOf(NetworkTestData.CtSlices[1]);
        peer.Send(RawPeer.PData(1, command: true, last: true, again.Encode()));
        peer.Send(RawPeer.PData(1, command: false, last: true, data));
        DimseMessage second = peer.ReadCommand();

        Assert.Equal(DimseStatus.CannotUnderstand, rsp.Status);
        Assert.Equal(DimseStatus.Success, second.Status);
        Assert.Single(scp.Handler.Files());
    }

    [Fact]
    public async Task CommandAndDataSetNameDifferentInstances_RefusedDataSetDoesNotMatch()
    {
        await using var scp = new ScpHost();
        using RawPeer peer = RawPeer.Associated(scp.Port, ScpHost.AeTitle, Ct);
        (_, byte[] data) = StoreOf(NetworkTestData.CtSlices[0]);
        DimseMessage rq = DimseMessage.StoreRequest(1, Ct, DicomUid.Generate());

        peer.Send(RawPeer.PData(1, command: true, last: true, rq.Encode()));
        peer.Send(RawPeer.PData(1, command: false, last: true, data));

        Assert.Equal(DimseStatus.DataSetDoesNotMatchSopClass, peer.ReadCommand().Status);
        Assert.Empty(scp.Handler.Files());
    }

    [Fact]
    public async Task InstanceUidThatIsAPath_RefusedNothingWrittenAnywhere()
    {
        await using var scp = new ScpHost();
        using RawPeer peer = RawPeer.Associated(scp.Port, ScpHost.AeTitle, Ct);
        (_, byte[] data) = StoreOf(NetworkTestData.CtSlices[0]);
        DimseMessage rq = DimseMessage.StoreRequest(1, Ct, DicomUid.Generate());
        rq.Command.AddOrUpdate(DicomTags.AffectedSOPInstanceUID, DicomVR.UI, "../../../../tmp/evil");
        // Our encoder refuses such a UID; a hostile peer's does not.
        byte[] body = DicomWriter.Encode(rq.Command, new DicomWriteOptions { TransferSyntax = DicomTransferSyntax.ImplicitVRLittleEndian, ValidateUids = false });
        byte[] command = [0, 0, 0, 0, 4, 0, 0, 0, .. BitConverter.GetBytes(body.Length), .. body];

        peer.Send(RawPeer.PData(1, command: true, last: true, command));
        peer.Send(RawPeer.PData(1, command: false, last: true, data));

        DimseMessage rsp = peer.ReadCommand();
        Assert.Equal(DimseStatus.CannotUnderstand, rsp.Status);
        Assert.Contains("not a valid UID", rsp.ErrorComment, StringComparison.Ordinal);
        Assert.Empty(scp.Handler.Files());
    }

    [Fact]
    public async Task StoreSplitIntoManyPdvs_StoredWhole()
    {
        await using var scp = new ScpHost();
        using RawPeer peer = RawPeer.Associated(scp.Port, ScpHost.AeTitle, Ct);
        (DimseMessage rq, byte[] data) = StoreOf(NetworkTestData.CtSlices[0]);
        byte[] command = rq.Encode();

        // The command in two fragments, the data set in 7-byte ones.
        peer.Send(RawPeer.PData(1, command: true, last: false, command.AsSpan(0, 10)));
        peer.Send(RawPeer.PData(1, command: true, last: true, command.AsSpan(10)));
        for (int i = 0; i < data.Length; i += 7)
        {
            peer.Send(RawPeer.PData(1, command: false, last: i + 7 >= data.Length, data.AsSpan(i, Math.Min(7, data.Length - i))));
        }

        Assert.Equal(DimseStatus.Success, peer.ReadCommand().Status);
        DatasetAssert.WrittenEqual(DicomFile.Open(NetworkTestData.CtSlices[0]).Dataset, DicomFile.Open(Assert.Single(scp.Handler.Files())).Dataset);
    }

    private static (DimseMessage Request, byte[] Data) StoreOf(string path)
    {
        DicomDataset ds = DicomFile.Open(path).Dataset;
        return (DimseMessage.StoreRequest(1, ds.GetString(DicomTags.SOPClassUID)!, ds.GetString(DicomTags.SOPInstanceUID)!), DicomWriter.Encode(ds, explicitVR: true));
    }

    private static StorageScpOptions With(StorageScpOptions o, DicomNetworkOptions? network = null, long? maxObjectBytes = null, int? maxAssociations = null) => new()
    {
        AeTitle = o.AeTitle,
        BindAddress = o.BindAddress,
        Network = network ?? o.Network,
        MaxObjectBytes = maxObjectBytes ?? o.MaxObjectBytes,
        MaxAssociations = maxAssociations ?? o.MaxAssociations,
    };
}
