namespace MeTAI.Robotics.ServoBus;

/// <summary>Counters of a <see cref="DynamixelBus"/> (read from any thread; approximate while it runs).</summary>
public sealed class BusStatistics
{
    internal long _transactions;
    internal long _timeouts;
    internal long _retries;
    internal long _errorReplies;
    internal long _bytesWritten;
    internal long _bytesRead;
    internal long _safetyPreemptions;
    internal long _lostToCrc;

    /// <summary>Request/reply _transactions attempted.</summary>
    public long Transactions => Interlocked.Read(ref _transactions);

    /// <summary>Transactions that got no (valid) reply in time, per attempt.</summary>
    public long Timeouts => Interlocked.Read(ref _timeouts);

    /// <summary>Retries made.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Replies whose error byte was non-zero (apart from the alert bit).</summary>
    public long ErrorReplies => Interlocked.Read(ref _errorReplies);

    /// <summary>Bytes written.</summary>
    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    /// <summary>Bytes read.</summary>
    public long BytesRead => Interlocked.Read(ref _bytesRead);

    /// <summary>Transactions given up at a quiet moment of the wire for a safety write (not counted as timeouts).</summary>
    public long SafetyPreemptions => Interlocked.Read(ref _safetyPreemptions);

    /// <summary>
    /// Transactions given up as soon as the wire went quiet because every reply asked for had come and some failed their CRC
    /// (not counted as timeouts: nothing was left to wait for).
    /// </summary>
    public long LostToCrc => Interlocked.Read(ref _lostToCrc);

    /// <summary>Frames dropped for a bad CRC (never acted on).</summary>
    public long CrcErrors { get; internal set; }
}
