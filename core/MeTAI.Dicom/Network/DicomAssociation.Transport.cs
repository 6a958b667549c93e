using System.Buffers.Binary;
using System.Net.Sockets;

namespace MeTAI.Dicom.Network;

/// <summary>The transport side: reading and writing whole PDUs under timeouts, aborting, closing.</summary>
public sealed partial class DicomAssociation
{
    private readonly byte[] _header = new byte[6];
    private readonly byte[] _receive;
    private byte[]? _largeReceive;

    /// <summary>How long an aborting side waits at most for the peer to close (PS3.8 Sta13 uses the ARTIM timer; a hostile peer that never closes must not hold the connection that long).</summary>
    private static readonly TimeSpan AbortLinger = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Sends an A-ABORT (source 0, the service user, unless <paramref name="source"/> says 2, the service provider, with
    /// <paramref name="reason"/>) and closes the connection once the peer has, or after the ARTIM timer (at most 2 s).
    /// Does nothing when the association is already over.
    /// </summary>
    public async Task AbortAsync(AbortReason reason = AbortReason.NotSpecified, byte source = 0)
    {
        if (State is AssociationState.Aborted or AssociationState.Released or AssociationState.Rejected)
        {
            return;
        }

        State = AssociationState.Aborted;
        try
        {
            using var timeout = new CancellationTokenSource(_options.ArtimTimeout);
            await _stream.WriteAsync(PduEncoder.Abort(source, reason), timeout.Token).ConfigureAwait(false);
            await CloseAsync(waitForPeer: true, AbortLinger < _options.ArtimTimeout ? AbortLinger : _options.ArtimTimeout).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer is gone already; nothing more to tell it.
            _stream.Dispose();
        }
    }

    /// <summary>
    /// Runs one step of the protocol; when it fails, the peer is told (A-ABORT) and the connection closed before the
    /// exception goes on: a protocol error or timeout aborts as the service provider, a cancellation as the service user.
    /// </summary>
    private async Task<T> GuardAsync<T>(Func<Task<T>> step, CancellationToken ct)
    {
        try
        {
            return await step().ConfigureAwait(false);
        }
        catch (DicomProtocolException ex)
        {
            await AbortAsync(ex.Reason, source: 2).ConfigureAwait(false);
            throw;
        }
        catch (DicomNetworkTimeoutException)
        {
            await AbortAsync(AbortReason.NotSpecified, source: 2).ConfigureAwait(false);
            throw;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await AbortAsync(AbortReason.NotSpecified, source: 0).ConfigureAwait(false);
            throw;
        }
        catch (DicomNetworkException)
        {
            // The peer aborted, rejected or went away: nothing to send back.
            if (State is not (AssociationState.Released or AssociationState.Rejected))
            {
                State = AssociationState.Aborted;
            }

            _stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads one whole PDU within <paramref name="timeout"/> (a deadline for the whole PDU, so a peer trickling bytes
    /// cannot hold the association open). Unknown types and lengths beyond what the type allows are protocol errors;
    /// a P-DATA-TF may be as long as the maximum we announced. The body is valid until the next read.
    /// </summary>
    private async Task<(PduType Type, ReadOnlyMemory<byte> Body)> ReadPduAsync(TimeSpan timeout, string waitingFor, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            if (!await FillAsync(_header, deadline.Token).ConfigureAwait(false))
            {
                throw new DicomNetworkException($"{Peer} closed the connection while we waited for {waitingFor}");
            }

            byte type = _header[0];
            uint length = BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(2));
            if (type is < 1 or > 7)
            {
                throw new DicomProtocolException(AbortReason.UnrecognizedPdu, $"{Peer} sent a PDU of unknown type 0x{type:X2}");
            }

            var pduType = (PduType)type;
            Memory<byte> body = BodyBuffer(pduType, length);
            if (!await FillAsync(body, deadline.Token).ConfigureAwait(false))
            {
                throw new DicomNetworkException($"{Peer} closed the connection in the middle of a {pduType} PDU");
            }

            return (pduType, body);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new DicomNetworkTimeoutException($"{Peer} sent nothing for {timeout.TotalSeconds:0.#} s while we waited for {waitingFor}");
        }
    }

    private Memory<byte> BodyBuffer(PduType type, uint length)
    {
        switch (type)
        {
            case PduType.DataTransfer:
                if (length > _options.MaxPduLength)
                {
                    throw new DicomProtocolException(AbortReason.InvalidPduParameterValue,
                        $"{Peer} sent a P-DATA-TF of {length} bytes, longer than the maximum of {_options.MaxPduLength} we announced");
                }

                return _receive.AsMemory(0, (int)length);
            case PduType.AssociateRequest or PduType.AssociateAccept:
                if (length > DicomNetworkOptions.MaxAssociatePduLength)
                {
                    throw new DicomProtocolException(AbortReason.InvalidPduParameterValue,
                        $"{Peer} sent a {type} of {length} bytes, longer than the {DicomNetworkOptions.MaxAssociatePduLength} bytes accepted");
                }

                _largeReceive = new byte[length];
                return _largeReceive;
            default:
                // A-ASSOCIATE-RJ, A-RELEASE-RQ/RP and A-ABORT are 4 bytes long.
                if (length != 4)
                {
                    throw new DicomProtocolException(AbortReason.InvalidPduParameterValue, $"{Peer} sent a {type} of {length} bytes (4 expected)");
                }

                return _receive.AsMemory(0, 4);
        }
    }

    /// <summary>Fills <paramref name="buffer"/>; false when the peer closed before the first byte, a protocol error when in the middle.</summary>
    private async Task<bool> FillAsync(Memory<byte> buffer, CancellationToken ct)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n;
            try
            {
                n = await _stream.ReadAsync(buffer[total..], ct).ConfigureAwait(false);
            }
            catch (IOException ex) when (ex.InnerException is SocketException)
            {
                throw new DicomNetworkException($"connection to {Peer} lost: {ex.InnerException.Message}", ex);
            }

            if (n == 0)
            {
                if (total == 0)
                {
                    return false;
                }

                throw new DicomNetworkException($"{Peer} closed the connection {total} bytes into a {buffer.Length}-byte read");
            }

            total += n;
        }

        return true;
    }

    private async Task WriteAsync(ReadOnlyMemory<byte> pdu, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(_options.DimseTimeout);
        try
        {
            await _stream.WriteAsync(pdu, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new DicomNetworkTimeoutException($"{Peer} took no data for {_options.DimseTimeout.TotalSeconds:0.#} s");
        }
        catch (IOException ex)
        {
            throw new DicomNetworkException($"connection to {Peer} lost: {ex.InnerException?.Message ?? ex.Message}", ex);
        }
    }

    private DicomAssociationAbortedException PeerAbort(ReadOnlySpan<byte> body)
    {
        State = AssociationState.Aborted;
        return new DicomAssociationAbortedException(Peer, body[2], body[3]);
    }

    /// <summary>
    /// Closes the connection; with <paramref name="waitForPeer"/>, first stops sending and waits (ARTIM, or
    /// <paramref name="linger"/>) for the peer to close its side, so that the last PDU we sent is read before the
    /// connection goes (PS3.8 Sta13).
    /// </summary>
    private async Task CloseAsync(bool waitForPeer, TimeSpan? linger = null)
    {
        if (waitForPeer)
        {
            try
            {
                _socket.Shutdown(SocketShutdown.Send);
                using var artim = new CancellationTokenSource(linger ?? _options.ArtimTimeout);
                byte[] drain = new byte[4096];
                while (await _stream.ReadAsync(drain, artim.Token).ConfigureAwait(false) > 0)
                {
                    // Whatever the peer still sends is discarded.
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // Closed, reset or timed out: close our side anyway.
            }
        }

        _stream.Dispose();
    }
}
