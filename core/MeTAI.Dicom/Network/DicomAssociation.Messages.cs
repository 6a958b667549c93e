using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.ExceptionServices;

namespace MeTAI.Dicom.Network;

/// <summary>DIMSE messages over P-DATA-TF: commands assembled from fragments, data sets streamed, outgoing messages fragmented.</summary>
public sealed partial class DicomAssociation
{
    /// <summary>Largest command set accepted; real ones are a few hundred bytes.</summary>
    public const int MaxCommandBytes = 64 * 1024;

    /// <summary>Largest P-DATA-TF we send, whatever the peer would take.</summary>
    private const uint MaxSendPduLength = 1024 * 1024;

    private readonly List<Pdv> _pdvs = [];
    private readonly ArrayBufferWriter<byte> _command = new(1024);
    private int _nextPdv;
    private bool _dataPending;
    private byte _dataContext;
    private byte[]? _send;
    private int _messageId;

    /// <summary>A new Message ID for a request on this association (1, 2, …).</summary>
    public ushort NextMessageId() => (ushort)Interlocked.Increment(ref _messageId);

    /// <summary>The limits and timeouts this association runs under.</summary>
    internal DicomNetworkOptions Options => _options;

    /// <summary>
    /// Receives the next DIMSE command. When <see cref="DimseMessage.HasDataSet"/>, its data set must be read next with
    /// <see cref="ReceiveDataSetAsync(Stream, long, CancellationToken)"/>. An acceptor gets null when the requestor
    /// released the association between messages (the A-RELEASE-RP is sent and the connection closed).
    /// </summary>
    /// <exception cref="DicomNetworkException">A protocol error, timeout, abort or lost connection (the association is over).</exception>
    public Task<ReceivedMessage?> ReceiveAsync(CancellationToken cancellationToken = default) =>
        GuardAsync(() => ReceiveCoreAsync(cancellationToken), cancellationToken);

    /// <summary>
    /// Streams the data set of the last received command into <paramref name="sink"/>, fragment by fragment; returns
    /// its length. More than <paramref name="maxBytes"/> aborts the association. When the sink throws, the rest of the
    /// data set is still read (and dropped) so the association stays usable, then the sink's exception is thrown.
    /// </summary>
    /// <exception cref="DicomNetworkException">A protocol error (e.g. a command fragment before the data set ended), the
    /// size limit, a timeout, an abort or a lost connection.</exception>
    public Task<long> ReceiveDataSetAsync(Stream sink, long maxBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sink);
        return GuardAsync(() => ReceiveDataCoreAsync(sink, maxBytes, cancellationToken), cancellationToken);
    }

    /// <summary>The data set of the last received command, in memory (identifiers: small; more than <paramref name="maxBytes"/> aborts).</summary>
    public async Task<byte[]> ReceiveDataSetAsync(int maxBytes, CancellationToken cancellationToken = default)
    {
        using var buffer = new MemoryStream();
        await ReceiveDataSetAsync(buffer, maxBytes, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    /// <summary>
    /// Sends a DIMSE message on presentation context <paramref name="contextId"/>: its command set, then
    /// <paramref name="dataSet"/> (already encoded in the context's transfer syntax) when the command says one follows,
    /// each fragmented to the peer's maximum PDU length.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown context, or a data set that does not match the command's Command Data Set Type.</exception>
    /// <exception cref="DicomNetworkException">A timeout or lost connection (the association is over).</exception>
    public Task SendAsync(byte contextId, DimseMessage message, ReadOnlyMemory<byte>? dataSet = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!_contexts.ContainsKey(contextId))
        {
            throw new ArgumentException($"presentation context {contextId} was not accepted", nameof(contextId));
        }

        if (message.HasDataSet != dataSet.HasValue)
        {
            throw new ArgumentException($"{message.Name} {(message.HasDataSet ? "needs" : "takes no")} data set", nameof(dataSet));
        }

        return GuardAsync(async () =>
        {
            RequireEstablished();
            await SendFragmentsAsync(contextId, command: true, message.Encode(), cancellationToken).ConfigureAwait(false);
            if (dataSet is { } data)
            {
                await SendFragmentsAsync(contextId, command: false, data, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }, cancellationToken);
    }

    /// <summary>
    /// Requestor: releases the association (A-RELEASE-RQ, then waits for the A-RELEASE-RP under the ARTIM timer; late
    /// P-DATA is dropped, a release collision answered) and closes the connection.
    /// </summary>
    /// <exception cref="DicomNetworkException">No answer in time, an abort or a protocol error.</exception>
    public Task ReleaseAsync(CancellationToken cancellationToken = default) => GuardAsync(async () =>
    {
        if (!IsRequestor)
        {
            throw new InvalidOperationException("only the requestor releases an association");
        }

        RequireEstablished();
        await WriteAsync(PduEncoder.ReleaseRequest(), cancellationToken).ConfigureAwait(false);
        State = AssociationState.AwaitingReleaseResponse;
        while (true)
        {
            (PduType type, ReadOnlyMemory<byte> body) = await ReadPduAsync(_options.ArtimTimeout, "the A-RELEASE-RP", cancellationToken).ConfigureAwait(false);
            switch (type)
            {
                case PduType.ReleaseResponse:
                    State = AssociationState.Released;
                    await CloseAsync(waitForPeer: false).ConfigureAwait(false);
                    return true;
                case PduType.ReleaseRequest:
                    await WriteAsync(PduEncoder.ReleaseResponse(), cancellationToken).ConfigureAwait(false);
                    break;
                case PduType.DataTransfer:
                    break;
                case PduType.Abort:
                    throw PeerAbort(body.Span);
                default:
                    throw new DicomProtocolException(AbortReason.UnexpectedPdu, $"{Peer} answered the A-RELEASE-RQ with {type}");
            }
        }
    }, cancellationToken);

    private async Task<ReceivedMessage?> ReceiveCoreAsync(CancellationToken ct)
    {
        RequireEstablished();
        if (_dataPending)
        {
            throw new InvalidOperationException("the data set of the last message has not been read");
        }

        _command.ResetWrittenCount();
        byte context = 0;
        while (true)
        {
            Pdv? next = await NextPdvAsync(betweenMessages: context == 0, ct).ConfigureAwait(false);
            if (next is not { } pdv)
            {
                return null;
            }

            if (!pdv.IsCommand)
            {
                throw new DicomProtocolException(AbortReason.UnexpectedPduParameter,
                    $"{Peer} sent a data set fragment on presentation context {pdv.ContextId} where a DIMSE command was expected");
            }

            if (context != 0 && pdv.ContextId != context)
            {
                throw new DicomProtocolException(AbortReason.UnexpectedPduParameter,
                    $"{Peer} sent fragments of one command on presentation contexts {context} and {pdv.ContextId}");
            }

            context = pdv.ContextId;
            if (_command.WrittenCount + pdv.Data.Length > MaxCommandBytes)
            {
                throw new DicomProtocolException(AbortReason.NotSpecified, $"{Peer} sent a command set longer than {MaxCommandBytes} bytes");
            }

            _command.Write(pdv.Data.Span);
            if (pdv.IsLast)
            {
                break;
            }
        }

        DimseMessage message = DimseMessage.Decode(_command.WrittenMemory.ToArray());
        if (message.HasDataSet)
        {
            _dataPending = true;
            _dataContext = context;
        }

        return new ReceivedMessage(message, _contexts[context]);
    }

    private async Task<long> ReceiveDataCoreAsync(Stream sink, long maxBytes, CancellationToken ct)
    {
        if (!_dataPending)
        {
            throw new InvalidOperationException("the last message has no data set to read");
        }

        long total = 0;
        ExceptionDispatchInfo? sinkError = null;
        while (true)
        {
            Pdv pdv = await NextPdvAsync(betweenMessages: false, ct).ConfigureAwait(false)
                ?? throw new DicomProtocolException(AbortReason.UnexpectedPdu, $"{Peer} released the association in the middle of a data set");
            if (pdv.IsCommand || pdv.ContextId != _dataContext)
            {
                throw new DicomProtocolException(AbortReason.UnexpectedPduParameter,
                    $"{Peer} sent a {(pdv.IsCommand ? "command" : "data set")} fragment on presentation context {pdv.ContextId} before the data set on context {_dataContext} was complete");
            }

            total += pdv.Data.Length;
            if (total > maxBytes)
            {
                throw new DicomProtocolException(AbortReason.NotSpecified, $"{Peer} sent a data set longer than the limit of {maxBytes:N0} bytes");
            }

            if (sinkError is null)
            {
                try
                {
                    await sink.WriteAsync(pdv.Data, ct).ConfigureAwait(false);
                }
                catch (IOException ex)
                {
                    // Disk full or the like: keep reading the data set so the association can carry on, then report.
                    sinkError = ExceptionDispatchInfo.Capture(ex);
                }
            }

            if (pdv.IsLast)
            {
                _dataPending = false;
                sinkError?.Throw();
                return total;
            }
        }
    }

    /// <summary>The next presentation data value, reading a PDU when the last one is used up; null when the peer released.</summary>
    private async Task<Pdv?> NextPdvAsync(bool betweenMessages, CancellationToken ct)
    {
        while (_nextPdv >= _pdvs.Count)
        {
            _pdvs.Clear();
            _nextPdv = 0;
            (PduType type, ReadOnlyMemory<byte> body) = await ReadPduAsync(_options.DimseTimeout, betweenMessages ? "the next DIMSE message" : "the rest of a DIMSE message", ct).ConfigureAwait(false);
            switch (type)
            {
                case PduType.DataTransfer:
                    PduDecoder.DataValues(body, _pdvs);
                    break;
                case PduType.ReleaseRequest when !IsRequestor && betweenMessages:
                    await WriteAsync(PduEncoder.ReleaseResponse(), ct).ConfigureAwait(false);
                    State = AssociationState.Released;
                    await CloseAsync(waitForPeer: true).ConfigureAwait(false);
                    return null;
                case PduType.Abort:
                    throw PeerAbort(body.Span);
                default:
                    throw new DicomProtocolException(AbortReason.UnexpectedPdu,
                        $"{Peer} sent {type} {(betweenMessages ? "in an established association" : "in the middle of a DIMSE message")}");
            }
        }

        Pdv next = _pdvs[_nextPdv++];
        if (!_contexts.ContainsKey(next.ContextId))
        {
            throw new DicomProtocolException(AbortReason.InvalidPduParameterValue, $"{Peer} sent data on presentation context {next.ContextId}, which was not accepted");
        }

        return next;
    }

    private async Task SendFragmentsAsync(byte contextId, bool command, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        uint pduMax = PeerMaxPduLength == 0 ? _options.MaxPduLength : Math.Min(PeerMaxPduLength, MaxSendPduLength);
        int chunkMax = (int)pduMax - 6;
        _send ??= new byte[pduMax + 6];
        int offset = 0;
        do
        {
            int chunk = Math.Min(chunkMax, data.Length - offset);
            bool last = offset + chunk == data.Length;
            Span<byte> pdu = _send.AsSpan(0, 12 + chunk);
            pdu[0] = (byte)PduType.DataTransfer;
            pdu[1] = 0;
            BinaryPrimitives.WriteUInt32BigEndian(pdu[2..], (uint)(6 + chunk));
            BinaryPrimitives.WriteUInt32BigEndian(pdu[6..], (uint)(2 + chunk));
            pdu[10] = contextId;
            pdu[11] = (byte)((command ? 1 : 0) | (last ? 2 : 0));
            data.Span.Slice(offset, chunk).CopyTo(pdu[12..]);
            await WriteAsync(_send.AsMemory(0, 12 + chunk), ct).ConfigureAwait(false);
            offset += chunk;
        }
        while (offset < data.Length);
    }

    private void RequireEstablished()
    {
        if (State != AssociationState.Established)
        {
            throw new InvalidOperationException($"the association with {Peer} is {State}, not established");
        }
    }
}
