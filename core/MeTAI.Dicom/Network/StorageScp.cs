using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace MeTAI.Dicom.Network;

/// <summary>
/// A Verification and Storage SCP (PS3.4 Annexes A and B): listens on a TCP port, accepts associations from allowed
/// calling AE titles to our AE title, answers C-ECHO and stores each C-STORE's data set as received (no decoding, in
/// the negotiated transfer syntax) through a <see cref="DicomStorageFolder"/> the handler chooses per association.
/// At most <see cref="StorageScpOptions.MaxAssociations"/> associations at once, each on its own task; an object is
/// kept only when it arrived whole and passed its checks.
/// </summary>
public sealed class StorageScp : IAsyncDisposable
{
    private readonly StorageScpOptions _options;
    private readonly IStorageScpHandler _handler;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<int, Task> _connections = new();
    private readonly HashSet<string> _sopClasses;
    private Task _acceptLoop = Task.CompletedTask;
    private int _connectionCount;
    private int _associationCount;
    private int _established;
    private int _disposed;

    /// <summary>An SCP with <paramref name="options"/> reporting to <paramref name="handler"/>; call <see cref="Start"/> to listen.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public StorageScp(StorageScpOptions options, IStorageScpHandler handler)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        options.Validate();
        _options = options;
        _handler = handler;
        _sopClasses = [DicomNetworkUids.Verification, .. options.SopClasses];
        _listener = new TcpListener(options.BindAddress, options.Port);
    }

    /// <summary>The port listened on (the one chosen when <see cref="StorageScpOptions.Port"/> was 0).</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Open connections (associations being negotiated, established or closing).</summary>
    public int OpenConnections => Volatile.Read(ref _connectionCount);

    /// <summary>Starts listening.</summary>
    /// <exception cref="SocketException">The port cannot be bound (in use, or a privileged port).</exception>
    public void Start()
    {
        _listener.Start(64);
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>Waits until no connection is open, or <paramref name="timeout"/>; true when idle.</summary>
    public async Task<bool> WaitUntilIdleAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var until = DateTime.UtcNow + timeout;
        while (OpenConnections > 0)
        {
            if (DateTime.UtcNow >= until)
            {
                return false;
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Stops listening, aborts the associations still open and waits for them to end (once; later calls return).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _acceptLoop.ConfigureAwait(false);
        await Task.WhenAll(_connections.Values).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        int id = 0;
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stop.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            if (Interlocked.Increment(ref _connectionCount) > 2 * _options.MaxAssociations + 4)
            {
                // A flood of connections: beyond the ones we would reject politely, close at once.
                Interlocked.Decrement(ref _connectionCount);
                socket.Dispose();
                continue;
            }

            int key = ++id;
            _connections[key] = Task.Run(async () =>
            {
                try
                {
                    await ServeAsync(socket).ConfigureAwait(false);
                }
                finally
                {
                    Interlocked.Decrement(ref _connectionCount);
                    _connections.TryRemove(key, out _);
                }
            });
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        string address = socket.RemoteEndPoint is IPEndPoint ep ? ep.Address.ToString() : "?";
        bool counted = false;
        string? refusal = null;
        AssociationDecision Decide(AssociateRequest rq)
        {
            refusal = rq.CalledAeTitle != _options.AeTitle ? $"called AE title '{rq.CalledAeTitle}' is not ours ('{_options.AeTitle}')"
                : _options.AllowedCallingAeTitles.Count > 0 && !_options.AllowedCallingAeTitles.Contains(rq.CallingAeTitle) ? $"calling AE title '{rq.CallingAeTitle}' is not in the allow-list"
                : null;
            if (refusal is not null)
            {
                return AssociationDecision.Refuse(rq.CalledAeTitle != _options.AeTitle ? AssociateReject.CalledAeNotRecognized : AssociateReject.CallingAeNotRecognized);
            }

            if (Interlocked.Increment(ref _established) > _options.MaxAssociations)
            {
                Interlocked.Decrement(ref _established);
                refusal = $"{_options.MaxAssociations} associations are open already";
                return AssociationDecision.Refuse(AssociateReject.LocalLimitExceeded);
            }

            counted = true;
            return AssociationDecision.AcceptWith(PresentationNegotiation.Negotiate(rq, _sopClasses, _options.TransferSyntaxes), PresentationNegotiation.Roles(rq, _sopClasses));
        }

        DicomAssociation association;
        try
        {
            association = await DicomAssociation.AcceptAsync(socket, Decide, _options.Network, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DicomNetworkException or OperationCanceledException)
        {
            socket.Dispose();
            if (counted)
            {
                Interlocked.Decrement(ref _established);
            }

            _handler.AssociationRefused("?", address, ex is OperationCanceledException ? "the SCP stopped" : ex.Message);
            return;
        }

        if (association.State == AssociationState.Rejected)
        {
            _handler.AssociationRefused(association.Request?.CallingAeTitle ?? "?", address, $"{refusal} ({association.Rejection?.Describe()})");
            association.Dispose();
            return;
        }

        try
        {
            await ServeAssociationAsync(association, address).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _established);
        }
    }

    private async Task ServeAssociationAsync(DicomAssociation association, string address)
    {
        AssociateRequest rq = association.Request!;
        var info = new AssociationInfo(Interlocked.Increment(ref _associationCount), rq.CallingAeTitle, rq.CalledAeTitle, address,
            association.AcceptedContexts.Count, rq.PresentationContexts.Count);
        var stored = new List<ReceivedObject>();
        int refused = 0;
        bool released = false, inTransfer = false;
        string? error = null;
        try
        {
            DicomStorageFolder folder = _handler.FolderFor(info);
            _handler.AssociationAccepted(info);
            while (await association.ReceiveAsync(_stop.Token).ConfigureAwait(false) is { } message)
            {
                inTransfer = message.Message.CommandField == DimseCommandField.CStoreRequest;
                (ReceivedObject? o, ushort status, string? why) = await AnswerAsync(association, message, folder, info).ConfigureAwait(false);
                inTransfer = false;
                if (o is not null)
                {
                    stored.Add(o);
                    _handler.ObjectStored(info, o);
                }
                else if (status != DimseStatus.Success)
                {
                    refused++;
                    _handler.ObjectRefused(info, message.Message.AffectedSopInstanceUid, status, why ?? DimseStatus.Describe(status));
                }
            }

            released = true;
        }
        catch (DicomNetworkException ex)
        {
            error = ex.Message;
        }
        catch (OperationCanceledException)
        {
            error = "the SCP stopped";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DicomFormatException or ArgumentException)
        {
            // The store failed under us (disk, permissions) or a value could not be answered: end this association
            // cleanly; the SCP serves on.
            error = "storage failed: " + ex.Message;
            await association.AbortAsync().ConfigureAwait(false);
        }
        finally
        {
            await association.DisposeAsync().ConfigureAwait(false);
            _handler.AssociationEnded(info, new AssociationOutcome(released, error, stored, refused, inTransfer));
        }
    }

    /// <summary>Answers one message: C-ECHO, C-STORE (stored or refused), C-CANCEL (nothing to cancel) or anything else (unrecognized).</summary>
    private async Task<(ReceivedObject? Stored, ushort Status, string? Why)> AnswerAsync(DicomAssociation association, ReceivedMessage message, DicomStorageFolder folder, AssociationInfo info)
    {
        DimseMessage rq = message.Message;
        switch (rq.CommandField)
        {
            case DimseCommandField.CStoreRequest:
                StoreReceiver.Outcome outcome = await StoreReceiver.ReceiveAsync(association, message, folder, _options.MaxObjectBytes, _stop.Token).ConfigureAwait(false);
                await association.SendAsync(message.Context.Id, DimseMessage.Response(rq, outcome.Status, outcome.Comment), null, _stop.Token).ConfigureAwait(false);
                return (outcome.Stored, outcome.Status, outcome.Comment);
            case DimseCommandField.CEchoRequest when message.Context.AbstractSyntax == DicomNetworkUids.Verification && !rq.HasDataSet:
                await association.SendAsync(message.Context.Id, DimseMessage.Response(rq, DimseStatus.Success), null, _stop.Token).ConfigureAwait(false);
                _handler.Echoed(info);
                return (null, DimseStatus.Success, null);
            case DimseCommandField.CCancelRequest:
                return (null, DimseStatus.Success, null);
            default:
                if (rq.IsResponse)
                {
                    throw new DicomProtocolException(AbortReason.UnexpectedPduParameter, $"{association.Peer} sent {rq.Name}, a response to nothing we asked");
                }

                if (rq.HasDataSet)
                {
                    await association.ReceiveDataSetAsync(Stream.Null, _options.MaxObjectBytes, _stop.Token).ConfigureAwait(false);
                }

                await association.SendAsync(message.Context.Id, DimseMessage.Response(rq, DimseStatus.UnrecognizedOperation, "this SCP serves C-ECHO and C-STORE only"), null, _stop.Token).ConfigureAwait(false);
                return (null, DimseStatus.Success, null);
        }
    }
}
