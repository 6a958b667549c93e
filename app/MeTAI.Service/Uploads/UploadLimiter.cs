using MeTAI.Service.Hosting;
using Microsoft.Extensions.Options;

namespace MeTAI.Service.Uploads;

/// <summary>
/// Bounds what uploads cost the service at once, whoever hands them in (the HTTP API, a DICOM storage SCP):
/// at most <see cref="ServiceOptions.MaxConcurrentUploads"/> uploads are checked at the same time (another is refused
/// with 503 and Retry-After, not queued on an open connection), and the DICOM parsing of all of them together holds at
/// most <see cref="ServiceOptions.MaxUploadMemoryBytes"/> (an upload reserves twice its inflated size — the files'
/// bytes and the CT volume made from them — before it parses, and waits for room; one that could never fit is refused
/// with 413).
/// </summary>
public sealed class UploadLimiter(IOptions<ServiceOptions> options)
{
    private readonly Lock _gate = new();
    private readonly LinkedList<(long Bytes, TaskCompletionSource Ready)> _waiting = new();
    private int _active;
    private long _reservedBytes;

    /// <summary>Uploads being checked now.</summary>
    public int Active
    {
        get
        {
            lock (_gate)
            {
                return _active;
            }
        }
    }

    /// <summary>Takes an upload slot; throws 503 when all are taken. Dispose the result when the upload is done.</summary>
    /// <exception cref="UploadRejectedException">All slots are taken.</exception>
    public IDisposable Enter()
    {
        int max = Math.Max(1, options.Value.MaxConcurrentUploads);
        lock (_gate)
        {
            if (_active >= max)
            {
                throw new UploadRejectedException(StatusCodes.Status503ServiceUnavailable, "Too many uploads at once",
                    $"{max} upload(s) are being checked now (Service:MaxConcurrentUploads); send this one again in a moment.");
            }

            _active++;
        }

        return new Release(() =>
        {
            lock (_gate)
            {
                _active--;
            }
        });
    }

    /// <summary>
    /// Reserves parsing memory for an upload that inflated to <paramref name="inflatedBytes"/>; waits while other uploads
    /// hold the budget. Dispose the result when the parsing is done.
    /// </summary>
    /// <exception cref="UploadRejectedException">The upload alone needs more than the whole budget (413).</exception>
    public async Task<IDisposable> ReserveMemoryAsync(long inflatedBytes, CancellationToken cancellationToken)
    {
        long budget = options.Value.MaxUploadMemoryBytes;
        long need = 2 * Math.Max(0, inflatedBytes);
        if (need > budget)
        {
            throw new UploadRejectedException(StatusCodes.Status413PayloadTooLarge, "Upload too large to check",
                $"The upload inflates to {inflatedBytes:N0} bytes; checking it would hold about {need:N0} bytes in memory, more than Service:MaxUploadMemoryBytes ({budget:N0}).");
        }

        TaskCompletionSource ready;
        LinkedListNode<(long, TaskCompletionSource)> node;
        lock (_gate)
        {
            if (_waiting.Count == 0 && _reservedBytes + need <= budget)
            {
                _reservedBytes += need;
                return new Release(() => Free(need));
            }

            ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            node = _waiting.AddLast((need, ready));
        }

        try
        {
            await ready.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            lock (_gate)
            {
                if (node.List is not null)
                {
                    _waiting.Remove(node);
                    throw;
                }
            }

            Free(need); // granted just as it was cancelled
            throw;
        }

        return new Release(() => Free(need));
    }

    private void Free(long bytes)
    {
        lock (_gate)
        {
            _reservedBytes -= bytes;
            long budget = options.Value.MaxUploadMemoryBytes;
            // First come, first served: a large waiter is not overtaken by smaller ones forever.
            while (_waiting.First is { } first && _reservedBytes + first.Value.Bytes <= budget)
            {
                _reservedBytes += first.Value.Bytes;
                _waiting.RemoveFirst();
                first.Value.Ready.TrySetResult();
            }
        }
    }

    private sealed class Release(Action release) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                release();
            }
        }
    }
}
