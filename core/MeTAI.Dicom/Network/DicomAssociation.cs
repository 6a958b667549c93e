using System.Net;
using System.Net.Sockets;

namespace MeTAI.Dicom.Network;

/// <summary>
/// One DICOM association over TCP (PS3.8), as requestor (<see cref="RequestAsync"/>) or acceptor
/// (<see cref="AcceptAsync"/>), one DIMSE operation at a time. The state machine follows PS3.8 §9.2: an acceptor waits
/// for the A-ASSOCIATE-RQ under the ARTIM timer, a requestor for the answer; once established, P-DATA-TF PDUs carry
/// commands and data sets, fragmented to the peer's maximum PDU length on the way out and refused when longer than
/// ours on the way in; the requestor releases, either side aborts. A PDU that the state does not allow, a malformed
/// PDU, one longer than announced, an unknown PDU type, a DIMSE message out of order or a timeout gets an A-ABORT,
/// the connection is closed and the call throws (<see cref="DicomProtocolException"/>,
/// <see cref="DicomNetworkTimeoutException"/>); a peer's A-ABORT throws <see cref="DicomAssociationAbortedException"/>.
/// Data sets stream into a caller's sink PDV by PDV, never held whole here.
/// </summary>
public sealed partial class DicomAssociation : IAsyncDisposable, IDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly DicomNetworkOptions _options;
    private readonly Dictionary<byte, AcceptedContext> _contexts = [];

    private DicomAssociation(Socket socket, DicomNetworkOptions options, bool isRequestor, string peer)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _options = options;
        IsRequestor = isRequestor;
        Peer = peer;
        _receive = new byte[options.MaxPduLength];
        State = isRequestor ? AssociationState.AwaitingAssociateResponse : AssociationState.AwaitingAssociateRequest;
    }

    /// <summary>True for the side that asked for the association.</summary>
    public bool IsRequestor { get; }

    /// <summary>Where the association stands.</summary>
    public AssociationState State { get; private set; }

    /// <summary>The peer, for messages: <c>AET@address:port</c> (the address alone until the peer's AE title is known).</summary>
    public string Peer { get; private set; }

    /// <summary>The peer's network address.</summary>
    public string RemoteAddress => _socket.RemoteEndPoint is IPEndPoint ep ? ep.Address.ToString() : "?";

    /// <summary>The A-ASSOCIATE-RQ (sent or received).</summary>
    public AssociateRequest? Request { get; private set; }

    /// <summary>The A-ASSOCIATE-AC (sent or received); null before or when rejected.</summary>
    public AssociateAccept? Accept { get; private set; }

    /// <summary>The A-ASSOCIATE-RJ an acceptor sent, when it refused.</summary>
    public AssociateReject? Rejection { get; private set; }

    /// <summary>The largest P-DATA-TF PDU the peer receives (0: no limit).</summary>
    public uint PeerMaxPduLength { get; private set; }

    /// <summary>The accepted presentation contexts.</summary>
    public IReadOnlyCollection<AcceptedContext> AcceptedContexts => _contexts.Values;

    /// <summary>
    /// Connects to <paramref name="peer"/> and asks for an association with <paramref name="contexts"/>; returns once the
    /// A-ASSOCIATE-AC is in (some contexts may be refused: see <see cref="AcceptedContexts"/>).
    /// </summary>
    /// <exception cref="DicomAssociationRejectedException">The peer rejected the association.</exception>
    /// <exception cref="DicomNetworkException">No connection, a timeout, an abort or a protocol error.</exception>
    public static async Task<DicomAssociation> RequestAsync(DicomPeer peer, string callingAeTitle, IReadOnlyList<PresentationContextProposal> contexts,
        IReadOnlyList<RoleSelection>? roles = null, DicomNetworkOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(contexts);
        options ??= DicomNetworkOptions.Default;
        options.Validate();
        string calling = AeTitle.Check(callingAeTitle, "calling AE title");
        if (contexts.Count is 0 or > 128)
        {
            throw new ArgumentException($"an association proposes 1–128 presentation contexts, not {contexts.Count}.", nameof(contexts));
        }

        Socket socket = await ConnectAsync(peer, options, cancellationToken).ConfigureAwait(false);
        var association = new DicomAssociation(socket, options, isRequestor: true, peer.ToString());
        var request = new AssociateRequest(peer.AeTitle, calling, DicomNetworkUids.ApplicationContext, contexts, UserInformation.Ours(options.MaxPduLength, roles));
        try
        {
            await association.GuardAsync(() => association.RequestCoreAsync(request, cancellationToken), cancellationToken).ConfigureAwait(false);
            return association;
        }
        catch
        {
            association.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Takes a connection a listener accepted, waits for the A-ASSOCIATE-RQ (ARTIM timer) and answers it as
    /// <paramref name="decide"/> says. Returns the association, established or (see <see cref="State"/>) rejected and closed.
    /// </summary>
    /// <exception cref="DicomNetworkException">No request in time, a malformed or unexpected PDU (the peer gets an A-ABORT), a lost connection.</exception>
    public static async Task<DicomAssociation> AcceptAsync(Socket socket, Func<AssociateRequest, AssociationDecision> decide, DicomNetworkOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(decide);
        options ??= DicomNetworkOptions.Default;
        options.Validate();
        socket.NoDelay = true;
        string address = socket.RemoteEndPoint is IPEndPoint ep ? $"{ep.Address}:{ep.Port}" : "peer";
        var association = new DicomAssociation(socket, options, isRequestor: false, address);
        try
        {
            await association.GuardAsync(() => association.AcceptCoreAsync(decide, cancellationToken), cancellationToken).ConfigureAwait(false);
            return association;
        }
        catch
        {
            association.Dispose();
            throw;
        }
    }

    /// <summary>The accepted context for a SOP class in a transfer syntax, or null.</summary>
    public AcceptedContext? FindContext(string abstractSyntax, string transferSyntaxUid)
    {
        foreach (AcceptedContext c in _contexts.Values)
        {
            if (c.AbstractSyntax == abstractSyntax && c.TransferSyntax.Uid == transferSyntaxUid)
            {
                return c;
            }
        }

        return null;
    }

    /// <summary>The first accepted context for a SOP class, or null.</summary>
    public AcceptedContext? FindContext(string abstractSyntax) =>
        _contexts.Values.OrderBy(c => c.Id).FirstOrDefault(c => c.AbstractSyntax == abstractSyntax);

    /// <summary>Closes the connection (an A-ABORT first when the association is still open).</summary>
    public async ValueTask DisposeAsync()
    {
        if (State is AssociationState.Established or AssociationState.AwaitingReleaseResponse or AssociationState.AwaitingAssociateResponse)
        {
            await AbortAsync().ConfigureAwait(false);
        }

        await _stream.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Closes the connection at once (no A-ABORT; use <see cref="DisposeAsync"/> or <see cref="AbortAsync"/> for one).</summary>
    public void Dispose()
    {
        if (State is not (AssociationState.Released or AssociationState.Rejected))
        {
            State = AssociationState.Aborted;
        }

        _stream.Dispose();
    }

    private static async Task<Socket> ConnectAsync(DicomPeer peer, DicomNetworkOptions options, CancellationToken ct)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.ConnectTimeout);
        try
        {
            await socket.ConnectAsync(peer.Host, peer.Port, timeout.Token).ConfigureAwait(false);
            return socket;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            socket.Dispose();
            throw new DicomNetworkTimeoutException($"cannot connect to {peer}: no answer within {options.ConnectTimeout.TotalSeconds:0.#} s");
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new DicomNetworkException($"cannot connect to {peer}: {ex.Message}", ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task<bool> RequestCoreAsync(AssociateRequest request, CancellationToken ct)
    {
        Request = request;
        await WriteAsync(PduEncoder.AssociateRequest(request), ct).ConfigureAwait(false);
        (PduType type, ReadOnlyMemory<byte> body) = await ReadPduAsync(_options.ArtimTimeout, "the A-ASSOCIATE-AC", ct).ConfigureAwait(false);
        switch (type)
        {
            case PduType.AssociateAccept:
                AssociateAccept accept = PduDecoder.AssociateAccept(body.Span);
                TakeResults(request, accept);
                Accept = accept;
                PeerMaxPduLength = CheckPeerMax(accept.UserInformation.MaxPduLength);
                State = AssociationState.Established;
                return true;
            case PduType.AssociateReject:
                AssociateReject reject = PduDecoder.AssociateReject(body.Span);
                State = AssociationState.Aborted;
                await CloseAsync(waitForPeer: false).ConfigureAwait(false);
                throw new DicomAssociationRejectedException(Peer, reject);
            case PduType.Abort:
                throw PeerAbort(body.Span);
            default:
                throw new DicomProtocolException(AbortReason.UnexpectedPdu, $"{Peer} answered the A-ASSOCIATE-RQ with {type}");
        }
    }

    private void TakeResults(AssociateRequest request, AssociateAccept accept)
    {
        foreach (PresentationContextResult r in accept.Results)
        {
            PresentationContextProposal proposal = request.PresentationContexts.FirstOrDefault(p => p.Id == r.Id)
                ?? throw new DicomProtocolException(AbortReason.InvalidPduParameterValue, $"{Peer} answered presentation context {r.Id}, which was not proposed");
            if (!r.IsAccepted)
            {
                continue;
            }

            if (!proposal.TransferSyntaxes.Contains(r.TransferSyntax))
            {
                throw new DicomProtocolException(AbortReason.InvalidPduParameterValue,
                    $"{Peer} accepted presentation context {r.Id} with transfer syntax {r.TransferSyntax}, which was not proposed for it");
            }

            _contexts[r.Id] = new AcceptedContext(r.Id, proposal.AbstractSyntax, DicomTransferSyntax.Lookup(r.TransferSyntax));
        }
    }

    private async Task<bool> AcceptCoreAsync(Func<AssociateRequest, AssociationDecision> decide, CancellationToken ct)
    {
        (PduType type, ReadOnlyMemory<byte> body) = await ReadPduAsync(_options.ArtimTimeout, "the A-ASSOCIATE-RQ", ct).ConfigureAwait(false);
        if (type == PduType.Abort)
        {
            throw PeerAbort(body.Span);
        }

        if (type != PduType.AssociateRequest)
        {
            throw new DicomProtocolException(AbortReason.UnexpectedPdu, $"{Peer} opened with {type} instead of an A-ASSOCIATE-RQ");
        }

        (AssociateRequest request, ushort version) = PduDecoder.AssociateRequest(body.Span);
        Request = request;
        Peer = $"{request.CallingAeTitle}@{Peer}";
        AssociationDecision decision = (version & 1) == 0 ? AssociationDecision.Refuse(AssociateReject.ProtocolVersionNotSupported)
            : request.ApplicationContextName != DicomNetworkUids.ApplicationContext ? AssociationDecision.Refuse(AssociateReject.ApplicationContextNotSupported)
            : decide(request);
        if (decision.Reject is { } reject)
        {
            Rejection = reject;
            await WriteAsync(PduEncoder.AssociateReject(reject), ct).ConfigureAwait(false);
            State = AssociationState.Rejected;
            await CloseAsync(waitForPeer: true).ConfigureAwait(false);
            return false;
        }

        PeerMaxPduLength = CheckPeerMax(request.UserInformation.MaxPduLength);
        var accept = new AssociateAccept(request.CalledAeTitle, request.CallingAeTitle, DicomNetworkUids.ApplicationContext, decision.Results,
            UserInformation.Ours(_options.MaxPduLength, decision.Roles));
        foreach (PresentationContextResult r in decision.Results.Where(r => r.IsAccepted))
        {
            PresentationContextProposal proposal = request.PresentationContexts.First(p => p.Id == r.Id);
            _contexts[r.Id] = new AcceptedContext(r.Id, proposal.AbstractSyntax, DicomTransferSyntax.Lookup(r.TransferSyntax));
        }

        Accept = accept;
        await WriteAsync(PduEncoder.AssociateAccept(accept), ct).ConfigureAwait(false);
        State = AssociationState.Established;
        return true;
    }

    private uint CheckPeerMax(uint max) =>
        max is 0 or >= 16 ? max : throw new DicomProtocolException(AbortReason.InvalidPduParameterValue, $"{Peer} announced a maximum PDU length of {max} bytes, too small to carry data");
}
