namespace MeTAI.Robotics.Control;

/// <summary>
/// One value shared by a writer thread and the loop through a sequence lock: the writer never blocks, the reader
/// retries until it sees a consistent copy. Writers must not write concurrently with each other.
/// </summary>
internal sealed class SeqLockValue<T>
    where T : struct
{
    private T _value;
    private long _version;

    /// <summary>Writer: publishes a new value.</summary>
    public void Write(in T value)
    {
        long v = _version;
        Volatile.Write(ref _version, v + 1);
        Interlocked.MemoryBarrier();
        _value = value;
        Interlocked.MemoryBarrier();
        Volatile.Write(ref _version, v + 2);
    }

    /// <summary>Reader: the latest value; false (and default) when none was written.</summary>
    public bool TryRead(out T value)
    {
        var spin = default(SpinWait);
        while (true)
        {
            long v1 = Volatile.Read(ref _version);
            if ((v1 & 1) == 0)
            {
                value = _value;
                Interlocked.MemoryBarrier();
                if (Volatile.Read(ref _version) == v1)
                {
                    return v1 != 0;
                }
            }

            spin.SpinOnce(-1);
        }
    }
}
